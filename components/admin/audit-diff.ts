// What an audit row says, for people: which record it is about, and field by field what it was
// before and after (changed fields first).

export type AuditEntry = {
  action: "insert" | "update" | "delete";
  row_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changed: string[];
};

export type DiffLine = { field: string; before: unknown; after: unknown; changed: boolean };

// Fields that name a record, in the order they are tried.
const NAMING_FIELDS = ["email", "number", "sku", "code", "name", "name_ko", "display_name"];

/** A short name for the record: its email, number, SKU, code or name; else its id. */
export function recordLabel(entry: AuditEntry): string {
  const values = entry.after ?? entry.before ?? {};
  for (const f of NAMING_FIELDS) {
    const v = values[f];
    if (typeof v === "string" && v.trim() !== "") return v;
  }
  return entry.row_id ?? "";
}

/** Every field of the record, changed ones first; an insert has no before, a delete no after. */
export function diffLines(entry: AuditEntry): DiffLine[] {
  const changed = new Set(entry.changed);
  const fields = [...new Set([...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})])];
  return fields
    .map((field) => ({ field, before: entry.before?.[field], after: entry.after?.[field], changed: changed.has(field) }))
    .sort((a, b) => Number(b.changed) - Number(a.changed) || a.field.localeCompare(b.field));
}

/** A value as text: strings as they are, everything else as JSON; null and absent as null. */
export function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
