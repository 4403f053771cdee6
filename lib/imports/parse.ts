import "server-only";
import { Readable } from "node:stream";
import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { ImportKind, ParsedSheet } from "@/lib/data/imports";
import { AppError } from "@/lib/errors";
import { columnLetter } from "@/lib/export/xlsx";
import { MAX_FILE_BYTES, zipEntries } from "@/lib/storage/file-type";
import { cellText } from "./cells";
import { decodeCsv, type CsvEncoding } from "./decode";
import { inflatesWithin } from "./inflate";
import { decodeAcrossChunks } from "./utf8-chunks";
import { endAfterLastEntry } from "./zip-end";
import { detectMapping, findHeaderRow, type Mapping } from "./mapping";

// A spreadsheet file to rows of text: XLSX read as a stream (one sheet: the one asked for, else
// the first), or CSV in UTF-8, CP949 or GB18030. Blank rows are dropped; the header row is found
// among the first rows; each cell is text as cells.ts makes it. What cannot be read safely is
// refused with a reason the UI words in the user's language.

export const MAX_ROWS = 50_000;
/** Excel's own limit for one cell: a longer text cannot have come from Excel, nor go back into the error report. */
export const MAX_CELL_CHARS = 32_767;
/** What a workbook's parts may inflate to, together: a 20 MB XLSX of 50,000 rows stays far below. */
export const MAX_INFLATED_BYTES = 400 * 1024 * 1024;

export type ParsedFile = ParsedSheet & { sheets: string[]; mapping: Mapping; format: "xlsx" | "csv"; encoding?: CsvEncoding };
type Row = { row_no: number; cells: (string | null)[] };

export type RefusalReason =
  | "empty"
  | "too_large"
  | "not_spreadsheet"
  | "legacy_xls"
  | "encrypted"
  | "zip_bomb"
  | "too_many_rows"
  | "cell_too_long"
  | "no_rows"
  | "sheet_not_found"
  | "unreadable";

export function refuse(reason: RefusalReason, message: string, extra: Record<string, unknown> = {}): AppError {
  const code = reason === "too_large" ? "payload_too_large" : reason === "not_spreadsheet" || reason === "legacy_xls" ? "unsupported_media_type" : "validation_failed";
  return new AppError(code, message, { reason, ...extra });
}

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** An OLE compound file: an encrypted OOXML workbook (its EncryptedPackage stream) or a legacy .xls. */
function oleKind(bytes: Uint8Array): "encrypted" | "legacy_xls" | null {
  if (!OLE.every((b, i) => bytes[i] === b)) return null;
  const name = Buffer.from("EncryptedPackage", "utf16le");
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(name) ? "encrypted" : "legacy_xls";
}

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  // NUL and the low control characters never occur in a text file.
  return !sample.some((b) => b < 0x09);
}

async function checkZip(bytes: Uint8Array): Promise<void> {
  const entries = zipEntries(bytes);
  if (!entries || !entries.some((e) => e.name === "xl/workbook.xml")) {
    throw refuse("not_spreadsheet", "The file is not an Excel workbook (.xlsx) or CSV file");
  }
  if (entries.some((e) => e.encrypted)) throw refuse("encrypted", "The workbook is protected with a password; save it without one");
  // The stated sizes first (free), then what the parts really inflate to: a bomb understates them.
  const stated = entries.reduce((sum, e) => sum + e.size, 0);
  if (stated > MAX_INFLATED_BYTES || !(await inflatesWithin(bytes, entries, MAX_INFLATED_BYTES))) {
    throw refuse("zip_bomb", "The workbook would inflate to more than 400 MB; it cannot be read safely", { max: MAX_INFLATED_BYTES });
  }
}

/** Rows past the header plus what header search may skip: beyond this the file is too long. */
const ROW_CAP = MAX_ROWS + 200;

function tooMany(): AppError {
  return refuse("too_many_rows", "A file may have at most 50,000 rows", { max: MAX_ROWS });
}

/** A cell longer than Excel allows refuses the whole file, naming where it is (sheet null for a CSV file). */
function checkCellLengths(sheet: string | null, row: Row): void {
  const at = row.cells.findIndex((c) => c !== null && c.length > MAX_CELL_CHARS);
  if (at === -1) return;
  const column = columnLetter(at);
  const where = sheet === null ? `row ${row.row_no}, column ${column}` : `sheet ${sheet}, row ${row.row_no}, column ${column}`;
  throw refuse("cell_too_long", `A cell may have at most 32,767 characters (Excel's limit): ${where}`, { sheet, row: row.row_no, column, max: MAX_CELL_CHARS });
}

function trimRow(cells: (string | null)[]): (string | null)[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === null) end--;
  return cells.slice(0, end);
}

async function readXlsx(bytes: Uint8Array, sheet: string | undefined): Promise<{ rows: Row[]; sheets: string[]; sheetName: string }> {
  await checkZip(bytes);
  const reader = decodeAcrossChunks(
    new ExcelJS.stream.xlsx.WorkbookReader(endAfterLastEntry(Readable.from(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))), {
      sharedStrings: "cache",
      styles: "cache",
      hyperlinks: "ignore",
      worksheets: "emit",
      entries: "ignore",
    }),
  );
  const sheets: string[] = [];
  const rows: Row[] = [];
  let chosen: string | null = null;
  try {
    for await (const ws of reader) {
      const name = (ws as unknown as { name: string }).name;
      sheets.push(name);
      const take = chosen === null && (sheet === undefined || sheet === name);
      if (take) chosen = name;
      for await (const row of ws) {
        if (!take) continue;
        // Array.from: the values array has holes where cells are empty.
        const values = Array.from((row.values as unknown[]).slice(1), cellText);
        const cells = trimRow(values);
        if (cells.length === 0) continue;
        if (rows.length >= ROW_CAP) throw tooMany();
        checkCellLengths(name, { row_no: row.number, cells });
        rows.push({ row_no: row.number, cells });
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refuse("unreadable", "The workbook could not be read; open it in Excel and save it again");
  }
  if (chosen === null) throw refuse("sheet_not_found", `There is no sheet called ${sheet}`, { sheets });
  return { rows, sheets, sheetName: chosen };
}

/** The separator used most over the first lines (a title line above the header has none). */
function delimiterOf(text: string): string {
  const head = text.slice(0, 64 * 1024).split("\n").slice(0, 30).join("\n");
  const counts = [",", ";", "\t"].map((d) => [d, head.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0][0];
}

function readCsv(bytes: Uint8Array): { rows: Row[]; encoding: CsvEncoding } {
  const { text, encoding } = decodeCsv(bytes);
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter: delimiterOf(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false, to: ROW_CAP + 1 });
  } catch {
    throw refuse("unreadable", "The CSV file could not be read");
  }
  const rows: Row[] = [];
  records.forEach((rec, i) => {
    const cells = trimRow(rec.map(cellText));
    if (cells.length === 0) return;
    checkCellLengths(null, { row_no: i + 1, cells });
    rows.push({ row_no: i + 1, cells });
  });
  if (rows.length >= ROW_CAP) throw tooMany();
  return { rows, encoding };
}

export type ParseInput = {
  bytes: Uint8Array;
  fileName: string;
  kind: ImportKind;
  sheet?: string;
  remembered?: Record<string, string | null>;
};

/** Reads a file into its header, data rows and a detected column mapping. */
export async function parseImportFile(input: ParseInput): Promise<ParsedFile> {
  const { bytes } = input;
  if (bytes.length === 0) throw refuse("empty", "The file is empty");
  if (bytes.length > MAX_FILE_BYTES) throw refuse("too_large", "Files can be at most 20 MB", { max: MAX_FILE_BYTES });
  const ole = oleKind(bytes);
  if (ole === "encrypted") throw refuse("encrypted", "The workbook is protected with a password; save it without one");
  if (ole === "legacy_xls") throw refuse("legacy_xls", "Old Excel files (.xls) are not read; save the file as .xlsx");

  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const named = input.fileName.toLowerCase();
  let read: { rows: Row[]; sheets: string[]; sheetName: string | null; encoding?: CsvEncoding };
  if (isZip) {
    read = await readXlsx(bytes, input.sheet);
  } else if ((named.endsWith(".csv") || named.endsWith(".txt") || named.endsWith(".tsv")) && looksLikeText(bytes)) {
    read = { ...readCsv(bytes), sheets: [], sheetName: null };
  } else {
    throw refuse("not_spreadsheet", "The file is not an Excel workbook (.xlsx) or CSV file");
  }

  const headerAt = findHeaderRow(input.kind, read.rows.map((r) => r.cells));
  const header = read.rows[headerAt];
  const data = read.rows.slice(headerAt + 1);
  if (!header || data.length === 0) throw refuse("no_rows", "The sheet has no rows below its header");
  if (data.length > MAX_ROWS) throw tooMany();
  return {
    format: isZip ? "xlsx" : "csv",
    encoding: read.encoding,
    fileName: input.fileName,
    fileSize: bytes.length,
    sheets: read.sheets,
    sheetName: read.sheetName,
    headerRow: header.row_no,
    headers: header.cells,
    rows: data,
    mapping: detectMapping(input.kind, header.cells, input.remembered),
  };
}
