import type { Column } from "./columns";

// One value of a row as a spreadsheet cell or a CSV field.
//
// Times are instants in the database; people read them in Korea's time. Excel has no time zones:
// a cell holds a wall-clock serial, and exceljs writes a Date's UTC fields. So an instant is
// shifted to Seoul's wall time before it is handed over (Asia/Seoul is UTC+9 all year: no
// daylight saving since 1988).
const SEOUL_OFFSET_MS = 9 * 60 * 60 * 1000;

/** A Date whose UTC fields are the Seoul wall time of `instant`. */
export function seoulWallTime(instant: string | number | Date): Date {
  return new Date(new Date(instant).getTime() + SEOUL_OFFSET_MS);
}

// Rows of one flow share its timestamp, so consecutive rows often repeat a time: the last text
// converted is kept (a Date is never changed after it is made, so sharing it is safe).
let lastInstant: string | undefined;
let lastWall = new Date(0);

function seoulWallTimeOf(instant: string): Date {
  if (instant !== lastInstant) {
    lastWall = seoulWallTime(instant);
    lastInstant = instant;
  }
  return lastWall;
}

/** Today's date in Seoul, YYYY-MM-DD. */
export function seoulToday(now = Date.now()): string {
  return seoulWallTime(now).toISOString().slice(0, 10);
}

/** The words a file uses for values: yes and no, and per catalogue entry (a column's `labels`) the word for each code. */
export type BoolWords = { yes: string; no: string; labels?: Record<string, Record<string, string> | undefined> };

function toNumber(v: unknown): number | null {
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** The cell value exceljs writes: numbers as numbers, dates as Dates, the rest as text. */
export function cellValue(col: Column, v: unknown, words: BoolWords): string | number | Date | null {
  if (v === null || v === undefined || v === "") return null;
  switch (col.type) {
    case "int":
    case "qty":
    case "krw":
      return toNumber(v);
    case "datetime":
      return seoulWallTimeOf(String(v));
    case "date":
      // A calendar date ("2026-12-04"): midnight of that day, no zone to shift.
      return new Date(`${String(v).slice(0, 10)}T00:00:00Z`);
    case "bool":
      return v ? words.yes : words.no;
    default:
      if (typeof v !== "string") return JSON.stringify(v);
      // A code (draft, inbound, korean_team) in the user's words; an unknown code stays as it is.
      return (col.labels && words.labels?.[col.labels]?.[v]) || v;
  }
}

// Excel reads a CSV field that starts with one of these as a formula, even quoted. Text people
// typed (a customer's application notes, a message) must never run in a staff member's Excel:
// such a text gets a leading apostrophe, as OWASP advises for CSV. Numbers are never text here,
// so a negative quantity keeps its minus. XLSX cells are typed strings and need nothing.
// The SQL side is private.csv_safe (supabase/migrations/20261211010100_csv_safe.sql), which
// spells out the same characters; tests/contract/ledger-export.contract.ts checks they agree.
const FORMULA_START = new Set(["=", "+", "-", "@", "\t", "\r"]);

/** Text as a CSV field may hold it: a formula's first character made harmless. */
export function csvSafeText(text: string): string {
  return FORMULA_START.has(text.charAt(0)) ? `'${text}` : text;
}

/** The CSV field: the same value as text (times as Seoul "YYYY-MM-DD HH:mm:ss"). */
export function csvField(col: Column, v: unknown, words: BoolWords): string {
  const cell = cellValue(col, v, words);
  if (cell === null) return "";
  if (cell instanceof Date) {
    const iso = cell.toISOString();
    return col.type === "date" ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  return typeof cell === "string" ? csvSafeText(cell) : String(cell);
}
