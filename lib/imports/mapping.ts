import type { ImportKind } from "@/lib/data/imports";
import { fieldsOf, headerKey, headerRank, type ImportField } from "./fields";

// Which row holds the headers and which column holds which field. The header is the row among
// the first few that names the most fields (titles and merged group headers above it are
// skipped); each field takes the column whose header names it best, and a mapping the user
// chose before for the same kind wins wherever its header is present.

export type Mapping = Partial<Record<ImportField, number>>;
type Row = (string | null)[];

/** Rows searched for the header. */
export const HEADER_SEARCH_ROWS = 30;

function matches(kind: ImportKind, row: Row): number {
  const fields = fieldsOf(kind);
  return row.filter((cell) => cell && fields.some((f) => headerRank(f, cell) !== null)).length;
}

/** The index (in `rows`) of the header row: the one naming the most fields, else the first non-blank one. */
export function findHeaderRow(kind: ImportKind, rows: Row[]): number {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const score = matches(kind, rows[i]);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  if (best >= 0) return best;
  return Math.max(0, rows.findIndex((r) => r.some((c) => c !== null)));
}

/** The mapping detected from the header names, with the user's remembered choices ({field: header}) first. */
export function detectMapping(kind: ImportKind, headers: Row, remembered: Record<string, string | null> = {}): Mapping {
  const mapping: Mapping = {};
  const taken = new Set<number>();
  const fields = fieldsOf(kind);
  for (const field of fields) {
    const want = remembered[field];
    if (!want) continue;
    const col = headers.findIndex((h, i) => !taken.has(i) && h !== null && headerKey(h) === headerKey(want));
    if (col >= 0) {
      mapping[field] = col;
      taken.add(col);
    }
  }
  // Best matches first, so "name" takes the column called name rather than "description".
  const candidates: { field: ImportField; col: number; rank: number }[] = [];
  for (const field of fields) {
    if (mapping[field] !== undefined) continue;
    headers.forEach((h, col) => {
      const rank = headerRank(field, h);
      if (rank !== null) candidates.push({ field, col, rank });
    });
  }
  candidates.sort((a, b) => a.rank - b.rank || a.col - b.col);
  for (const c of candidates) {
    if (mapping[c.field] !== undefined || taken.has(c.col)) continue;
    mapping[c.field] = c.col;
    taken.add(c.col);
  }
  return mapping;
}
