import { z } from "zod";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import type { engineCreateSchema, enginePatchSchema } from "@/lib/schemas/inventory";
import { actorArg, pageOf } from "./results";

export const engineRow = z.looseObject({
  id: z.uuid(),
  code: z.string(),
  name_ko: z.string(),
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
  description: z.string().nullable(),
  active: z.boolean(),
});
export type Engine = z.infer<typeof engineRow>;

const fnList = defineFunction(
  "engines_list",
  z.object({ p_active: z.boolean().optional(), p_page: z.number().int(), p_limit: z.number().int(), ...actorArg }),
  pageOf(engineRow),
);
const fnGet = defineFunction("engine_get", z.object({ p_id: z.uuid(), ...actorArg }), engineRow);
const fnCreate = defineFunction("engine_create", z.object({ p_data: z.record(z.string(), z.unknown()), ...actorArg }), engineRow);
const fnUpdate = defineFunction("engine_update", z.object({ p_id: z.uuid(), p_patch: z.record(z.string(), z.unknown()), ...actorArg }), engineRow);

export function listEngines(as: Caller, q: { active?: boolean; page: number; limit: number }) {
  return call(fnList, { p_active: q.active, p_page: q.page, p_limit: q.limit }, as);
}
export function getEngine(as: Caller, id: string) {
  return call(fnGet, { p_id: id }, as);
}
export function createEngine(as: Caller, data: z.output<typeof engineCreateSchema>, idem?: Idempotency) {
  return callWrite(fnCreate, { p_data: data }, as, idem);
}
export function updateEngine(as: Caller, id: string, patch: z.output<typeof enginePatchSchema>, idem?: Idempotency) {
  return callWrite(fnUpdate, { p_id: id, p_patch: patch }, as, idem);
}
