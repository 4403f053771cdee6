import { z } from "zod";
import { call, defineFunction, type Caller } from "@/lib/db";
import { sqlLiteral } from "@/lib/db/sql-call";
import type { DbFunction } from "@/lib/db/types";
import { actorArg } from "./results";

// The lists read for export: keyset batches of flat rows (supabase/migrations/…_exports.sql).
// Each call returns up to p_limit rows in the list's order and `next`, the row to pass back as
// p_after for the following batch (null after the last one).

export type ExportRow = Record<string, unknown>;
export type ExportBatch = { rows: ExportRow[]; next: ExportRow | null };

// Rows are checked for shape only (an array of objects): the column spec reads each value by key
// and a batch holds thousands of them, so per-field parsing here would cost more than the write.
const rowArray = z.custom<ExportRow[]>((v) => Array.isArray(v) && v.every((r) => r !== null && typeof r === "object"), "rows");
const batch = z.object({ rows: rowArray, next: z.record(z.string(), z.unknown()).nullable() });

const page = { p_after: z.record(z.string(), z.unknown()).nullable().optional(), p_limit: z.number().int(), ...actorArg };
const opt = { uuid: z.uuid().optional(), text: z.string().optional(), bool: z.boolean().optional() };

export const exportFunctions = {
  items: defineFunction(
    "items_export",
    z.object({ p_q: opt.text, p_engine_id: opt.uuid, p_active: opt.bool, p_customer_id: opt.uuid, p_sort: opt.text, ...page }),
    batch,
  ),
  stocks: defineFunction(
    "stocks_export",
    z.object({ p_item_id: opt.uuid, p_location_id: opt.uuid, p_engine_id: opt.uuid, p_low: opt.bool, p_q: opt.text, ...page }),
    batch,
  ),
  ledger: defineFunction(
    "ledger_export",
    z.object({ p_item_id: opt.uuid, p_location_id: opt.uuid, p_from: opt.text, p_to: opt.text, ...page }),
    batch,
  ),
  flows: defineFunction(
    "flows_export",
    z.object({ p_kind: opt.text, p_status: opt.text, p_q: opt.text, p_from: opt.text, p_to: opt.text, p_customer_id: opt.uuid, ...page }),
    batch,
  ),
  customers: defineFunction("customers_export", z.object({ p_q: opt.text, p_active: opt.bool, ...page }), batch),
  users: defineFunction("users_export", z.object({ p_q: opt.text, p_role: opt.text, p_active: opt.bool, ...page }), batch),
  audit: defineFunction(
    "audit_export",
    z.object({ p_actor_id: opt.uuid, p_table: opt.text, p_action: opt.text, p_from: opt.text, p_to: opt.text, p_security_only: opt.bool, ...page }),
    batch,
  ),
  inspections: defineFunction(
    "inspections_export",
    z.object({ p_status: opt.text, p_open: opt.bool, p_customer_id: opt.uuid, p_inspector_id: opt.uuid, p_q: opt.text, ...page }),
    batch,
  ),
  portalStock: defineFunction("portal_stock_export", z.object({ p_q: opt.text, ...page }), batch),
  portalShipments: defineFunction("portal_shipments_export", z.object({ p_status: opt.text, ...page }), batch),
  attachments: defineFunction(
    "attachments_export",
    z.object({ p_inspection_id: opt.uuid, p_customer_id: opt.uuid, p_kind: opt.text, ...page }),
    batch,
  ),
} as const;

type ExportFunctions = typeof exportFunctions;
export type ExportFunctionName = keyof ExportFunctions;
/** A function's filter arguments (everything but the cursor, the batch size and the actor). */
export type ExportFilters<N extends ExportFunctionName> = Omit<z.input<ExportFunctions[N]["args"]>, "p_after" | "p_limit" | "p_actor">;

/**
 * Every row of a list, batch by batch, in the list's order. The next batch is asked for as soon
 * as one arrives, so the database prepares it while the caller writes this one.
 */
export async function* exportBatches<N extends ExportFunctionName>(
  as: Caller,
  name: N,
  filters: ExportFilters<N>,
  batchSize: number,
): AsyncGenerator<ExportRow[]> {
  const fn = exportFunctions[name] as unknown as DbFunction<z.ZodType<Record<string, unknown>>, typeof batch>;
  const fetch = (after: ExportRow | null): Promise<ExportBatch> => call(fn, { ...filters, p_after: after, p_limit: batchSize }, as);
  let pending: Promise<ExportBatch> | null = fetch(null);
  try {
    while (pending) {
      const res: ExportBatch = await pending;
      pending = res.next ? fetch(res.next) : null;
      if (res.rows.length > 0) yield res.rows;
    }
  } finally {
    // Stopped early (the client went away): the call in flight is let finish, its error ignored.
    pending?.catch(() => undefined);
  }
}

// The ledger written by the database in the file's own format (public.ledger_export_text): no
// row objects at all on this side, for the one list that reaches millions of rows.
const textBatch = z.object({ text: z.string(), count: z.number().int(), next: z.record(z.string(), z.unknown()).nullable() });
export const ledgerExportText = defineFunction(
  "ledger_export_text",
  z.object({
    p_format: z.enum(["csv", "xlsx"]),
    p_kinds: z.record(z.string(), z.string()).optional(),
    p_row: z.number().int(),
    p_item_id: opt.uuid,
    p_location_id: opt.uuid,
    p_from: opt.text,
    p_to: opt.text,
    ...page,
  }),
  textBatch,
);

export type LedgerTextFilters = Pick<z.input<typeof ledgerExportText.args>, "p_item_id" | "p_location_id" | "p_from" | "p_to">;
export type TextBatch = { text: string; count: number };

/**
 * The ledger's file text, batch by batch: CSV lines, or XLSX <row> elements numbered from sheet
 * row 2 on. As exportBatches, the next batch is asked for as soon as one arrives.
 */
export async function* ledgerTextBatches(
  as: Caller,
  filters: LedgerTextFilters,
  format: "csv" | "xlsx",
  kinds: Record<string, string>,
  batchSize: number,
): AsyncGenerator<TextBatch> {
  type Out = z.output<typeof textBatch>;
  const fetch = (after: Record<string, unknown> | null, row: number): Promise<Out> =>
    call(ledgerExportText, { ...filters, p_format: format, p_kinds: kinds, p_row: row, p_after: after, p_limit: batchSize }, as);
  let row = 2;
  let pending: Promise<Out> | null = fetch(null, row);
  try {
    while (pending) {
      const res: Out = await pending;
      row += res.count;
      pending = res.next ? fetch(res.next, row) : null;
      if (res.count > 0) yield { text: res.text, count: res.count };
    }
  } finally {
    pending?.catch(() => undefined);
  }
}

/**
 * The ledger's CSV rows as one query for `COPY … TO STDOUT` as the caller (Postgres): the same
 * columns, values and order as ledger_export_text's CSV, read under the caller's row-level
 * security (the ledger is staff-only there) and column grants. COPY takes no parameters, so the
 * values are inlined as escaped literals of already validated input (uuids, instants).
 *
 * For CSV its text columns go through private.csv_safe, the formula guard ledger_export_text's
 * CSV uses too (csvSafeText in lib/export/values.ts is the same rule in Node). The planner
 * inlines it: EXPLAIN (VERBOSE) of this query shows its CASE expression in the output list and
 * no call per value. COPY's text format feeds the XLSX writer, whose typed string cells need
 * nothing.
 */
export function ledgerCopyQuery(filters: LedgerTextFilters, kinds: Record<string, string>, csv = false): string {
  const text = (expr: string) => (csv ? `private.csv_safe(${expr})` : expr);
  const where = [
    filters.p_item_id ? `m.item_id = ${sqlLiteral(filters.p_item_id)}::uuid` : null,
    filters.p_location_id ? `m.location_id = ${sqlLiteral(filters.p_location_id)}::uuid` : null,
    filters.p_from ? `m.created_at >= ${sqlLiteral(filters.p_from)}::timestamptz` : null,
    filters.p_to ? `m.created_at < ${sqlLiteral(filters.p_to)}::timestamptz` : null,
  ].filter(Boolean);
  return (
    `select m.id, pg_catalog.date_trunc('second', m.created_at at time zone 'Asia/Seoul'), ${text("f.number")}, ` +
    `${text(`coalesce(${sqlLiteral(JSON.stringify(kinds))}::jsonb ->> f.kind, f.kind)`)}, ${text("i.sku")}, ${text("i.name_ko")}, ${text("l.code")}, ` +
    `pg_catalog.trim_scale(m.delta), pg_catalog.trim_scale(m.balance_after) ` +
    `from public.stock_movements m join public.flows f on f.id = m.flow_id join public.items i on i.id = m.item_id ` +
    `join public.locations l on l.id = m.location_id` +
    (where.length ? ` where ${where.join(" and ")}` : "") +
    ` order by m.id desc`
  );
}
