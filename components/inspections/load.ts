import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import type { Actor } from "@/lib/auth";
import { listAttachments } from "@/lib/data/attachments";
import { getCustomer } from "@/lib/data/customers";
import { getInspection, type Inspection } from "@/lib/data/inspections";
import { getMyShipment } from "@/lib/data/portal";
import { listMessages } from "@/lib/data/messages";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/schemas/common";

/**
 * Runs a read of the record named in a URL, or renders the not-found page: for ids that are not
 * UUIDs, that do not exist, and (the database answers not_found to the user's own session) that
 * belong to another company — the same page in every case, so a customer learns nothing from it.
 */
export async function orNotFound<T>(id: string, read: () => Promise<T>): Promise<T> {
  if (!idSchema.safeParse(id).success) notFound();
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && (error.code === "not_found" || error.code === "forbidden")) notFound();
    throw error;
  }
}

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
