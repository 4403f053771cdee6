import "server-only";
import { cache } from "react";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import type { Actor } from "@/lib/auth";
import { orNotFound, requireActor } from "@/lib/auth/page";
import type { Action } from "@/lib/auth/permissions";
import { listAttachments } from "@/lib/data/attachments";
import { getCustomer } from "@/lib/data/customers";
import { getInspection, type Inspection } from "@/lib/data/inspections";
import { getMyShipment } from "@/lib/data/portal";
import { listMessages } from "@/lib/data/messages";

// The record loaders below are read once per request (React's cache): a page's generateMetadata
// asks too, so a missing record's <title> is the not-found page's, not the record page's.

/** The application of an /inspections/[id] or /portal/inspections/[id] URL. */
export const loadInspection = cache((actor: Actor, id: string): Promise<Inspection> => orNotFound(id, () => getInspection(actor.caller, id)));

/** The company of a /customers/[id] URL. */
export const loadCustomer = cache((actor: Actor, id: string) => orNotFound(id, () => getCustomer(actor.caller, id)));

/** One of the customer's own shipments (/portal/shipments/[id]). */
export const loadMyShipment = cache((actor: Actor, id: string) => orNotFound(id, () => getMyShipment(actor.caller, id)));

/** An inspection page's files and message thread, read together (as the user: RLS decides). */
export async function loadInspectionRecords(actor: Actor, id: string) {
  const [files, thread] = await Promise.all([listAttachments(actor, { inspection_id: id, page: 1, limit: 100 }), listMessages(actor.caller, id, 200)]);
  return { files: files.data, messages: thread.data };
}

/**
 * generateMetadata of an inspection's page (staff and portal, each with its own permission): a
 * missing record gets the not-found page's title (this read is the page's own, cached).
 */
export function inspectionMetadata(permission: Action) {
  return async ({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> => {
    const [actor, t, { id }] = await Promise.all([requireActor(permission), getTranslations("inspections"), params]);
    await loadInspection(actor, id);
    return { title: t("detail.details") };
  };
}
