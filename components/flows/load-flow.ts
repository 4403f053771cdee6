import "server-only";
import { cache } from "react";
import type { Actor } from "@/lib/auth";
import { orNotFound } from "@/lib/auth/page";
import { getFlow, type Flow } from "@/lib/data/flows";
import { listCustomers } from "@/lib/data/customers";
import { listLocations } from "@/lib/data/locations";
import type { CustomerOption, LocationOption } from "./form-types";

/**
 * The flow of a /flows/[id] URL, or the not-found page (also for ids that are not UUIDs). Read
 * once per request: the page's generateMetadata asks too, so that a missing flow's <title> is the
 * not-found page's, not the flow page's.
 */
export const loadFlow = cache((actor: Actor, id: string): Promise<Flow> => orNotFound(id, () => getFlow(actor.caller, id)));

/** Warehouses a flow can use: the active ones (there are a handful, never pages of them). */
export async function locationOptions(actor: Actor): Promise<LocationOption[]> {
  const result = await listLocations(actor.caller, { active: true, page: 1, limit: 100 });
  return result.data.map((l) => ({ id: l.id, code: l.code, name: l.name }));
}

/** Customers an outbound can ship to: the active ones (a short list, like warehouses). */
export async function customerOptions(actor: Actor): Promise<CustomerOption[]> {
  const result = await listCustomers(actor.caller, { active: true, page: 1, limit: 100 });
  return result.data.map((c) => ({ id: c.id, code: c.code, name: c.name }));
}
