import { z } from "zod";
import { call, defineFunction, service, type Caller } from "@/lib/db";
import { actorArg, pageOf } from "./results";

const num = z.coerce.number();

export const stockRow = z.looseObject({
  item_id: z.uuid(),
  location_id: z.uuid().optional(),
  on_hand: num,
  sku: z.string(),
  name_ko: z.string(),
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
  unit: z.string(),
  reorder_point: num,
  low: z.boolean(),
});
export type StockRow = z.infer<typeof stockRow>;

export const ledgerRow = z.looseObject({
  id: z.number().int(),
  flow_id: z.uuid(),
  // the flow's line this movement comes from (a transfer has two movements per line)
  line_no: z.number().int(),
  item_id: z.uuid(),
  location_id: z.uuid(),
  delta: num,
  balance_after: num,
  created_at: z.string(),
  flow_number: z.string(),
  flow_kind: z.string(),
  sku: z.string(),
  location_code: z.string(),
});
export type LedgerRow = z.infer<typeof ledgerRow>;

const fnStocks = defineFunction(
  "stocks_list",
  z.object({
    p_item_id: z.uuid().optional(),
    p_location_id: z.uuid().optional(),
    p_engine_id: z.uuid().optional(),
    p_low: z.boolean().optional(),
    p_page: z.number().int(),
    p_limit: z.number().int(),
    p_q: z.string().optional(),
    ...actorArg,
  }),
  pageOf(stockRow),
);

const fnLedger = defineFunction(
  "ledger_list",
  z.object({
    p_item_id: z.uuid().optional(),
    p_location_id: z.uuid().optional(),
    p_from: z.string().optional(),
    p_to: z.string().optional(),
    p_before: z.number().int().optional(),
    p_limit: z.number().int(),
    ...actorArg,
  }),
  z.object({ data: z.array(ledgerRow), limit: z.number().int(), next_before: z.number().int().nullable() }),
);

const fnInvariant = defineFunction(
  "stock_invariant_violations",
  z.object({}),
  z.object({ violations: z.array(z.record(z.string(), z.unknown())) }),
);

export function listStocks(
  as: Caller,
  q: { item_id?: string; location_id?: string; engine_id?: string; low?: boolean; q?: string; page: number; limit: number },
) {
  return call(
    fnStocks,
    { p_item_id: q.item_id, p_location_id: q.location_id, p_engine_id: q.engine_id, p_low: q.low, p_q: q.q, p_page: q.page, p_limit: q.limit },
    as,
  );
}

export function listLedger(
  as: Caller,
  q: { item_id?: string; location_id?: string; from?: string; to?: string; before?: number; limit: number },
) {
  return call(
    fnLedger,
    { p_item_id: q.item_id, p_location_id: q.location_id, p_from: q.from, p_to: q.to, p_before: q.before, p_limit: q.limit },
    as,
  );
}

/** Rows where stock and ledger disagree (empty when the invariant holds). Server only. */
export async function stockInvariantViolations() {
  return (await call(fnInvariant, {}, service)).violations;
}
