import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { Column } from "./columns";
import type { BoolWords } from "./values";
import { columnLetter, numberStyleOf, STYLE, type XlsxSheetWriter, xmlText } from "./xlsx";

// A worksheet from `COPY (query) TO STDOUT` in COPY's text format, where the transport has COPY
// (Postgres): the database does what it does fastest (reads, joins, prints plain values) and
// Node turns each line into a <row> as it streams by. Building the XML in SQL cost Postgres about
// three times its CSV per row, plus a json round trip of megabyte strings; reading COPY's lines
// costs Node about a microsecond a row.
//
// The query's columns are the file's, in order. What each column type expects as text:
// numbers as Postgres prints them (trim_scale for quantities), `datetime` the Seoul wall time as
// a `timestamp` prints it (YYYY-MM-DD HH:MM:SS; the query shifts it, `at time zone 'Asia/Seoul'`),
// `date` YYYY-MM-DD, `bool` t/f, text as it is (codes in the user's words already, or mapped
// through the column's catalogue).

// Day 0 of Excel's 1900 date system is 1899-12-30: the Unix epoch is serial 25569.
const DAY_MS = 86_400_000;
const EPOCH_SERIAL = 25569;

// COPY's text format escapes these with a backslash; `\N` alone is null.
const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/** A field of COPY's text format as the value it stands for (null for `\N`). */
export function copyTextField(field: string): string | null {
  if (field.indexOf("\\") === -1) return field;
  if (field === "\\N") return null;
  return field.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
}

/** The Excel serial of a wall time printed as YYYY-MM-DD[ HH:MM:SS]. */
function serial(text: string): number {
  const ms = Date.UTC(
    Number(text.slice(0, 4)),
    Number(text.slice(5, 7)) - 1,
    Number(text.slice(8, 10)),
    Number(text.slice(11, 13)) || 0,
    Number(text.slice(14, 16)) || 0,
    Number(text.slice(17, 19)) || 0,
  );
  return ms / DAY_MS + EPOCH_SERIAL;
}

type CellXml = (field: string, row: number) => string;

/** How one column's field becomes a cell (an empty string: no cell, as for a null). */
function cellXml(col: Column, letter: string, words: BoolWords): CellXml {
  switch (col.type) {
    case "int":
    case "qty":
    case "krw":
      return (f, r) => {
        if (f === "\\N" || f === "") return "";
        return `<c r="${letter}${r}" s="${numberStyleOf(col.type, f.indexOf(".") === -1)}"><v>${f}</v></c>`;
      };
    case "datetime":
    case "date": {
      const style = col.type === "date" ? STYLE.date : STYLE.datetime;
      // Rows of one flow share its time: the last conversion is kept.
      let last = "";
      let lastSerial = 0;
      return (f, r) => {
        if (f === "\\N" || f === "") return "";
        if (f !== last) {
          last = f;
          lastSerial = serial(f);
        }
        return `<c r="${letter}${r}" s="${style}"><v>${lastSerial}</v></c>`;
      };
    }
    case "bool":
      return (f, r) => (f === "\\N" ? "" : `<c r="${letter}${r}" t="inlineStr"><is><t>${xmlText(f === "t" ? words.yes : words.no)}</t></is></c>`);
    default: {
      const labels = col.labels ? words.labels?.[col.labels] : undefined;
      return (f, r) => {
        const value = copyTextField(f);
        if (value === null || value === "") return "";
        return `<c r="${letter}${r}" t="inlineStr"><is><t>${xmlText(labels?.[value] ?? value)}</t></is></c>`;
      };
    }
  }
}

/**
 * Writes every line of a COPY text stream as a sheet row, at the output's pace (the stream is
 * read only as fast as deflate and the client take the rows), then finishes the file.
 */
export async function copyTextToSheet(copied: Readable, book: XlsxSheetWriter, columns: readonly Column[], words: BoolWords): Promise<void> {
  const cells = columns.map((c, i) => cellXml(c, columnLetter(i), words));
  const decoder = new StringDecoder("utf8");
  let rest = "";
  const line = (text: string) => {
    const r = book.nextRow;
    const fields = text.split("\t");
    let xml = `<row r="${r}">`;
    for (let i = 0; i < cells.length; i++) xml += cells[i](fields[i] ?? "\\N", r);
    return book.row(xml + "</row>");
  };
  for await (const chunk of copied as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      const wait = line(text.slice(start, nl));
      start = nl + 1;
      if (wait) await wait;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  // COPY ends every row with a newline; anything left is a row cut short, which would be wrong.
  if (rest) throw new Error("The database's rows ended in the middle of a row");
  await book.end();
}
