import { z } from "zod";
import { call, defineFunction, service, type Caller } from "@/lib/db";
import { actorArg } from "./results";

// Imports (migration 20261205000500). The app records what it parsed from a file it checked
// (import_begin, import_rows_add: service role, with the actor's id); everything else runs as the
// user, and the SQL checks every row itself with the rules of single writes.

export const IMPORT_KINDS = ["items", "inbound", "outbound", "stocktake"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const ROW_STATUSES = ["new", "changed", "unchanged", "error"] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/** Rows per call when recording and validating (a few thousand keep every transport fast). */
export const ROW_BATCH = 2000;

const counts = z.object({
  total: z.number().int(),
  new: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
  error: z.number().int(),
});
const ref = z.object({ id: z.uuid(), code: z.string(), name: z.string() }).nullable();
const flowRef = z.object({ id: z.uuid(), number: z.string(), kind: z.string() }).nullable();

export const importResult = z.object({
  id: z.uuid(),
  kind: z.enum(IMPORT_KINDS),
  status: z.literal("applied"),
  rows: counts,
  created: z.number().int(),
  updated: z.number().int(),
  flow: flowRef,
});
export type ImportResult = z.infer<typeof importResult>;

export const importRecord = z.object({
  id: z.uuid(),
  kind: z.enum(IMPORT_KINDS),
  status: z.enum(["validating", "ready", "invalid", "applied"]),
  progress: z.coerce.number(),
  file_name: z.string(),
  file_size: z.number(),
  sheet_name: z.string().nullable(),
  header_row: z.number().int(),
  headers: z.array(z.string().nullable()),
  mapping: z.record(z.string(), z.number().int()),
  location: ref,
  customer: ref,
  rows: counts,
  result: importResult.nullable(),
  flow_id: z.uuid().nullable(),
  created_by: z.uuid(),
  created_at: z.string(),
  applied_by: z.uuid().nullable(),
  applied_at: z.string().nullable(),
});
export type ImportRecord = z.infer<typeof importRecord>;

export const cellError = z.object({ field: z.string(), code: z.string(), params: z.record(z.string(), z.unknown()).optional() });
export type CellError = z.infer<typeof cellError>;

export const importRow = z.object({
  row_no: z.number().int(),
  status: z.enum(["pending", ...ROW_STATUSES]),
  cells: z.array(z.string().nullable()),
  errors: z.array(cellError),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
  item_id: z.uuid().nullable(),
});
export type ImportRow = z.infer<typeof importRow>;

const mappingArg = z.record(z.string(), z.number().int().nullable());

const fnBegin = defineFunction(
  "import_begin",
  z.object({
    p_kind: z.enum(IMPORT_KINDS),
    p_file_name: z.string(),
    p_file_size: z.number().int(),
    p_sheet_name: z.string().nullable(),
    p_header_row: z.number().int(),
    p_headers: z.array(z.string().nullable()),
    p_mapping: mappingArg,
    p_expected_rows: z.number().int(),
    p_location_id: z.uuid().optional(),
    p_customer_id: z.uuid().optional(),
    p_id: z.uuid().optional(),
    ...actorArg,
  }),
  importRecord,
);
const fnRowsAdd = defineFunction(
  "import_rows_add",
  z.object({
    p_id: z.uuid(),
    p_rows: z.array(z.object({ row_no: z.number().int(), cells: z.array(z.string().nullable()) })),
    p_last: z.boolean(),
    ...actorArg,
  }),
  importRecord,
);
const fnGet = defineFunction("import_get", z.object({ p_id: z.uuid(), ...actorArg }), importRecord);
const fnValidate = defineFunction("import_validate", z.object({ p_id: z.uuid(), p_limit: z.number().int(), ...actorArg }), importRecord);
const fnSetMapping = defineFunction("import_set_mapping", z.object({ p_id: z.uuid(), p_mapping: mappingArg, ...actorArg }), importRecord);
const fnApply = defineFunction("import_apply", z.object({ p_id: z.uuid(), ...actorArg }), importResult);
const fnRows = defineFunction(
  "import_rows_list",
  z.object({
    p_id: z.uuid(),
    p_status: z.enum(ROW_STATUSES).optional(),
    p_after: z.number().int(),
    p_limit: z.number().int(),
    ...actorArg,
  }),
  z.object({ data: z.array(importRow), count: z.number().int() }),
);
const fnMappingGet = defineFunction(
  "import_mapping_get",
  z.object({ p_kind: z.enum(IMPORT_KINDS), ...actorArg }),
  z.record(z.string(), z.string().nullable()),
);
export const countSheetRow = z.object({
  sku: z.string(),
  name_ko: z.string(),
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
  unit: z.string(),
  on_hand: z.coerce.number(),
});
const fnCountSheet = defineFunction(
  "import_count_sheet",
  z.object({ p_location_id: z.uuid(), p_after_sku: z.string().optional(), p_limit: z.number().int(), ...actorArg }),
  z.array(countSheetRow),
);

/** What the app read from a file, ready to record. */
export type ParsedSheet = {
  fileName: string;
  fileSize: number;
  sheetName: string | null;
  headerRow: number;
  headers: (string | null)[];
  rows: { row_no: number; cells: (string | null)[] }[];
};

export type ImportTarget = { location_id?: string; customer_id?: string };

/** The roles that may import a kind (the SQL's private.import_roles says the same and decides). */
export function mayImport(role: string, kind: ImportKind): boolean {
  if (kind === "items") return ["admin", "manager", "korean_team"].includes(role);
  return ["admin", "manager", "korean_team", "chinese_staff"].includes(role);
}

/** Records a parsed sheet for the actor (service role), in batches; the import is then `validating`. */
export async function recordImport(
  actorId: string,
  kind: ImportKind,
  sheet: ParsedSheet,
  mapping: Record<string, number>,
  target: ImportTarget,
  id?: string,
): Promise<ImportRecord> {
  let record = await call(
    fnBegin,
    {
      p_kind: kind,
      p_file_name: sheet.fileName,
      p_file_size: sheet.fileSize,
      p_sheet_name: sheet.sheetName,
      p_header_row: sheet.headerRow,
      p_headers: sheet.headers,
      p_mapping: mapping,
      p_expected_rows: sheet.rows.length,
      p_location_id: target.location_id,
      p_customer_id: target.customer_id,
      p_id: id,
      p_actor: actorId,
    },
    service,
  );
  for (let at = 0; at === 0 || at < sheet.rows.length; at += ROW_BATCH) {
    const batch = sheet.rows.slice(at, at + ROW_BATCH);
    const last = at + ROW_BATCH >= sheet.rows.length;
    record = await call(fnRowsAdd, { p_id: record.id, p_rows: batch, p_last: last, p_actor: actorId }, service);
  }
  return record;
}

/** Validates every row, one batch per call (each call commits, so progress shows in between). */
export async function validateImport(as: Caller, id: string): Promise<ImportRecord> {
  let record = await validateImportBatch(as, id);
  while (record.status === "validating") record = await validateImportBatch(as, id);
  return record;
}

/** Validates the next batch of rows (one call, one transaction): `validating` until the last. */
export function validateImportBatch(as: Caller, id: string): Promise<ImportRecord> {
  return call(fnValidate, { p_id: id, p_limit: ROW_BATCH }, as);
}

export function getImport(as: Caller, id: string) {
  return call(fnGet, { p_id: id }, as);
}

/** A new column mapping: remembered for the user and kind; the rows are validated again. */
export async function remapImport(as: Caller, id: string, mapping: Record<string, number | null>) {
  await call(fnSetMapping, { p_id: id, p_mapping: mapping }, as);
  return validateImport(as, id);
}

export function applyImport(as: Caller, id: string) {
  return call(fnApply, { p_id: id }, as);
}

export function listImportRows(as: Caller, id: string, q: { status?: RowStatus; after?: number; limit?: number }) {
  return call(fnRows, { p_id: id, p_status: q.status, p_after: q.after ?? 0, p_limit: q.limit ?? 100 }, as);
}

/** Every row of an import in sheet order (for the error report), page by page. */
export async function* allImportRows(as: Caller, id: string): AsyncGenerator<ImportRow> {
  let after = 0;
  for (;;) {
    const page = await listImportRows(as, id, { after, limit: ROW_BATCH });
    if (page.data.length === 0) return;
    yield* page.data;
    after = page.data[page.data.length - 1].row_no;
  }
}

/** The user's remembered mapping for a kind: {field: header text}. */
export function rememberedMapping(as: Caller, kind: ImportKind) {
  return call(fnMappingGet, { p_kind: kind }, as);
}

/** The count sheet of a warehouse (every active item and its stock now), page by page. */
export async function* countSheetRows(as: Caller, locationId: string): AsyncGenerator<z.infer<typeof countSheetRow>> {
  let after: string | undefined;
  for (;;) {
    const page = await call(fnCountSheet, { p_location_id: locationId, p_after_sku: after, p_limit: ROW_BATCH }, as);
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1].sku;
  }
}
