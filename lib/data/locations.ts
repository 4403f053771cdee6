import { z } from "zod";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import type { locationCreateSchema, locationPatchSchema } from "@/lib/schemas/inventory";
import { actorArg, pageOf } from "./results";

export const locationRow = z.looseObject({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  country: z.enum(["KR", "CN"]),
  active: z.boolean(),
});
export type Location = z.infer<typeof locationRow>;

const fnList = defineFunction(
  "locations_list",
  z.object({ p_active: z.boolean().optional(), p_country: z.string().optional(), p_page: z.number().int(), p_limit: z.number().int(), ...actorArg }),
  pageOf(locationRow),
);
const fnGet = defineFunction("location_get", z.object({ p_id: z.uuid(), ...actorArg }), locationRow);
const fnCreate = defineFunction("location_create", z.object({ p_data: z.record(z.string(), z.unknown()), ...actorArg }), locationRow);
const fnUpdate = defineFunction("location_update", z.object({ p_id: z.uuid(), p_patch: z.record(z.string(), z.unknown()), ...actorArg }), locationRow);

export function listLocations(as: Caller, q: { active?: boolean; country?: string; page: number; limit: number }) {
  return call(fnList, { p_active: q.active, p_country: q.country, p_page: q.page, p_limit: q.limit }, as);
}
export function getLocation(as: Caller, id: string) {
  return call(fnGet, { p_id: id }, as);
}
export function createLocation(as: Caller, data: z.output<typeof locationCreateSchema>, idem?: Idempotency) {
  return callWrite(fnCreate, { p_data: data }, as, idem);
}
export function updateLocation(as: Caller, id: string, patch: z.output<typeof locationPatchSchema>, idem?: Idempotency) {
  return callWrite(fnUpdate, { p_id: id, p_patch: patch }, as, idem);
}
