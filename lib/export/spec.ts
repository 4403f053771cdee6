import type { Actor } from "@/lib/auth";
import type { ExportRow, TextBatch } from "@/lib/data/exports";
import { EXPORT_READ_COST } from "@/lib/http/rate-limit";
import type { Column } from "./columns";

/**
 * A list route's export (`?format=xlsx|csv`, see handler()): the file's name stem, its columns
 * for this caller, and the rows, batch by batch, for the route's parsed query.
 */
export type ExportSpec<Q> = {
  list: string;
  columns: readonly Column[] | ((actor: Actor) => readonly Column[]);
  rows: (actor: Actor, query: Q) => AsyncGenerator<ExportRow[]>;
  /**
   * Instead of rows: the file's text written by the database, batch by batch (CSV lines or
   * worksheet rows, the columns above in their order, codes in `words`' language). Lists that
   * reach millions of rows (the ledger) use it; `rows` stays the reference for the others.
   */
  text?: (actor: Actor, query: Q, format: "csv" | "xlsx", labels: (catalogue: string) => Record<string, string>) => AsyncGenerator<TextBatch>;
  /**
   * The file straight from `COPY (query) TO STDOUT` as the caller, where the transport has it
   * (Postgres): the query's columns are the file's, in order. CSV is COPY's CSV; XLSX reads
   * COPY's text format line by line (lib/export/copy-sheet.ts says what each column type
   * expects: times as Seoul wall time).
   */
  copy?: (actor: Actor, query: Q, labels: (catalogue: string) => Record<string, string>, format: "csv" | "xlsx") => string;
  /**
   * What one export weighs against the caller's read budget, in list reads: an export reads a
   * whole list. Read rate limits use it through requestCost().
   */
  cost?: number;
};


/** The weight of a request for read rate limiting: 1, or the export's cost when it exports. */
export function requestCost(spec: { export?: ExportSpec<never> }, url: URL): number {
  return spec.export && url.searchParams.has("format") ? (spec.export.cost ?? EXPORT_READ_COST) : 1;
}
