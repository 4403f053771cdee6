import type { Writable } from "node:stream";
import type { Column } from "./columns";
import { cellValue, csvField, type BoolWords } from "./values";
import { columnLetter, numberStyle, STYLE, XlsxSheetWriter, xmlText } from "./xlsx";

// The two file formats, written batch by batch into a stream: nothing holds more than one batch.
// A batch is either rows (objects, formatted here) or text the database already wrote in the
// file's own format (the ledger: public.ledger_export_text).

export type ExportFormat = "xlsx" | "csv";
export type Row = Record<string, unknown>;

export interface FileWriter {
  /** Rows to format; resolves when the output can take more. */
  rows(batch: Row[]): Promise<void>;
  /** Ready text: CSV lines, or `count` worksheet <row> elements numbered from `nextRow`. */
  text(text: string, count: number): Promise<void>;
  /** The sheet row the next data row gets (XLSX). */
  readonly nextRow: number;
  end(): Promise<void>;
}

export type WriterInput = { out: Writable; sheet: string; columns: readonly Column[]; labels: string[]; words: BoolWords };

// Day 0 of Excel's 1900 date system is 1899-12-30: the Unix epoch is serial 25569.
const DAY_MS = 86_400_000;
const EPOCH_SERIAL = 25569;

/** One worksheet cell as XML: numbers as numbers with their format, dates as serials, text inline. */
function xlsxCell(col: Column, ref: string, v: unknown, words: BoolWords): string {
  const value = cellValue(col, v, words);
  if (value === null) return "";
  if (typeof value === "number") return `<c r="${ref}" s="${numberStyle(col.type, value)}"><v>${value}</v></c>`;
  if (value instanceof Date) {
    // Whole seconds, as the database writes them (public.ledger_export_text).
    const ms = col.type === "date" ? value.getTime() : Math.floor(value.getTime() / 1000) * 1000;
    return `<c r="${ref}" s="${col.type === "date" ? STYLE.date : STYLE.datetime}"><v>${ms / DAY_MS + EPOCH_SERIAL}</v></c>`;
  }
  return value === "" ? "" : `<c r="${ref}" t="inlineStr"><is><t>${xmlText(value)}</t></is></c>`;
}

/** XLSX: frozen bold header with a filter, typed and formatted cells, set column widths. */
export function xlsxWriter({ out, sheet, columns, labels, words }: WriterInput): FileWriter {
  const book = new XlsxSheetWriter({ out, sheet, columns, labels });
  const letters = columns.map((_, i) => columnLetter(i));
  return {
    get nextRow() {
      return book.nextRow;
    },
    async rows(batch) {
      for (const row of batch) {
        const r = book.nextRow;
        let xml = `<row r="${r}">`;
        for (let i = 0; i < columns.length; i++) xml += xlsxCell(columns[i], letters[i] + r, row[columns[i].key], words);
        const wait = book.row(xml + "</row>");
        if (wait) await wait;
      }
    },
    text: (text, count) => book.rows(text, count),
    end: () => book.end(),
  };
}

const NEEDS_QUOTES = /[",\r\n]/;
/** A CSV field as csv-stringify writes it: quoted, quotes doubled, only when it must be. */
function csvQuote(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Resolves once the stream can take more (or at once when it is gone). */
function room(out: Writable, ok: boolean): Promise<void> {
  if (ok || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.once("drain", done);
    out.once("close", done);
  });
}

/** The byte order mark (so Excel on Korean and Chinese Windows reads UTF-8) and the header line. */
export function csvHeader(labels: string[]): string {
  return `\ufeff${labels.map(csvQuote).join(",")}\n`;
}

/** CSV: UTF-8 with a byte order mark and the header, then a line a row. */
export function csvWriter({ out, columns, labels, words }: WriterInput): FileWriter {
  out.write(csvHeader(labels));
  return {
    nextRow: 2,
    async rows(batch) {
      let text = "";
      for (const row of batch) text += columns.map((c) => csvQuote(csvField(c, row[c.key], words))).join(",") + "\n";
      await room(out, out.write(text));
    },
    async text(text) {
      await room(out, out.write(text));
    },
    async end() {
      out.end();
    },
  };
}
