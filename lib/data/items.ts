import { z } from "zod";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import type { ItemCreate, ItemPatch } from "@/lib/schemas/inventory";
import { actorArg, pageOf } from "./results";

const num = z.coerce.number();

export const itemRow = z.looseObject({
  id: z.uuid(),
  sku: z.string(),
  name_ko: z.string(),
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
  unit: z.string(),
  engine_id: z.uuid().nullable(),
  engine_code: z.string().nullable().optional(),
  reorder_point: num,
  unit_cost: num,
  customer_id: z.uuid().nullable(),
  barcode: z.string().nullable(),
  active: z.boolean(),
  on_hand: num,
});
export type Item = z.infer<typeof itemRow>;

export const itemStockRow = z.object({
  location_id: z.uuid(),
  location_code: z.string(),
  location_name: z.string(),
  country: z.string(),
  on_hand: num,
  updated_at: z.string().nullable(),
});
export const itemDetail = itemRow.extend({ stocks: z.array(itemStockRow) });

const fnList = defineFunction(
  "items_list",
  z.object({
    p_q: z.string().optional(),
    p_engine_id: z.uuid().optional(),
    p_active: z.boolean().optional(),
    p_customer_id: z.uuid().optional(),
    p_sort: z.string(),
    p_page: z.number().int(),
    p_limit: z.number().int(),
    ...actorArg,
  }),
  pageOf(itemRow),
);
const fnGet = defineFunction("item_get", z.object({ p_id: z.uuid(), ...actorArg }), itemDetail);
const fnCreate = defineFunction("item_create", z.object({ p_data: z.record(z.string(), z.unknown()), ...actorArg }), itemRow);
const fnUpdate = defineFunction("item_update", z.object({ p_id: z.uuid(), p_patch: z.record(z.string(), z.unknown()), ...actorArg }), itemRow);
const fnDelete = defineFunction(
  "item_delete",
  z.object({ p_id: z.uuid(), ...actorArg }),
  z.object({ deleted: z.boolean(), deactivated: z.boolean(), item: z.looseObject({ id: z.uuid() }) }),
);

export type ItemListQuery = { q?: string; engine_id?: string; active?: boolean; customer_id?: string; sort: string; page: number; limit: number };

export function listItems(as: Caller, q: ItemListQuery) {
  return call(
    fnList,
    { p_q: q.q, p_engine_id: q.engine_id, p_active: q.active, p_customer_id: q.customer_id, p_sort: q.sort, p_page: q.page, p_limit: q.limit },
    as,
  );
}
export function getItem(as: Caller, id: string) {
  return call(fnGet, { p_id: id }, as);
}
export function createItem(as: Caller, data: ItemCreate, idem?: Idempotency) {
  return callWrite(fnCreate, { p_data: data }, as, idem);
}
export function updateItem(as: Caller, id: string, patch: ItemPatch, idem?: Idempotency) {
  return callWrite(fnUpdate, { p_id: id, p_patch: patch }, as, idem);
}
export function deleteItem(as: Caller, id: string, idem?: Idempotency) {
  return callWrite(fnDelete, { p_id: id }, as, idem);
}
