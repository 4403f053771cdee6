import "server-only";
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import type { ImportKind, ImportRecord, ImportRow } from "@/lib/data/imports";
import type { Locale } from "@/lib/i18n/locales";
import { fieldsOf, UNITS } from "./fields";
import { errorText, IMPORT_WORDS, type ImportWords } from "./words";

// The files imports hand out: a template per kind (headers in the user's language, a sample row,
// drop-down lists, a sheet explaining every column in Korean, Chinese and English), a
// warehouse's count sheet, and the error report (the rows as read, an error column, the bad
// cells highlighted) that staff fix in Excel and upload again.

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const BAD_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFC7CE" } };
const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true };
/** Rows of a template that carry the drop-down lists. */
const VALIDATED_ROWS = 5000;

type RangeValidations = { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } };
export type TemplateLists = { engines: string[]; customers: string[] };
export type CountRow = { sku: string; name_ko: string; name_zh: string | null; name_en: string | null; unit: string; on_hand: number };

/** The columns of a kind's sheet, as catalogue field keys ("counted"/"expected" on count sheets). */
function columnsOf(kind: ImportKind): string[] {
  return kind === "stocktake" ? ["sku", "name", "unit", "expected", "counted"] : [...fieldsOf(kind)];
}

function label(words: ImportWords, key: string): string {
  return (words.fields as Record<string, string>)[key] ?? key;
}

function helpSheet(wb: ExcelJS.Workbook, words: ImportWords, columns: string[]): void {
  const ws = wb.addWorksheet(words.template.helpSheet);
  ws.addRow([words.template.column, words.template.korean, words.template.chinese, words.template.english]).font = HEADER_FONT;
  for (const key of columns) {
    const help = (w: ImportWords) => (w.fieldHelp as Record<string, string>)[key] ?? "";
    ws.addRow([label(words, key), help(IMPORT_WORDS.ko), help(IMPORT_WORDS.zh), help(IMPORT_WORDS.en)]);
  }
  ws.columns = [{ width: 22 }, { width: 60 }, { width: 60 }, { width: 60 }];
}

function listColumn(lists: ExcelJS.Worksheet, col: string, values: string[]): string | null {
  values.forEach((v, i) => (lists.getCell(`${col}${i + 1}`).value = v));
  return values.length > 0 ? `'${lists.name}'!$${col}$1:$${col}$${values.length}` : null;
}

function dataSheet(wb: ExcelJS.Workbook, words: ImportWords, columns: string[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(words.template.dataSheet);
  ws.addRow(columns.map((c) => label(words, c))).font = HEADER_FONT;
  ws.columns = columns.map(() => ({ width: 18 }));
  ws.views = [{ state: "frozen", ySplit: 1 }];
  return ws;
}

function sampleRow(kind: ImportKind, words: ImportWords, lists: TemplateLists): (string | number | null)[] {
  if (kind === "items") {
    return ["SAMPLE-001", IMPORT_WORDS.ko.template.sampleName, IMPORT_WORDS.zh.template.sampleName, IMPORT_WORDS.en.template.sampleName,
      "EA", lists.engines[0] ?? null, 10, 12000, "8800000000001", null, "Y"];
  }
  if (kind === "stocktake") return ["SAMPLE-001", words.template.sampleName, "EA", 10, 9];
  return ["SAMPLE-001", null, words.template.sampleName, 10];
}

/** GET /api/v1/imports/templates/:kind — the template of a kind in the user's language. */
export async function templateWorkbook(kind: ImportKind, locale: Locale, lists: TemplateLists): Promise<Uint8Array> {
  const words = IMPORT_WORDS[locale];
  const columns = columnsOf(kind);
  const wb = new ExcelJS.Workbook();
  const ws = dataSheet(wb, words, columns);
  ws.addRow(sampleRow(kind, words, lists));
  helpSheet(wb, words, columns);
  const listSheet = wb.addWorksheet(words.template.listsSheet, { state: "hidden" });
  const ranges: Record<string, string | null> = {
    unit: listColumn(listSheet, "A", [...UNITS]),
    engine_code: listColumn(listSheet, "B", lists.engines),
    customer_code: listColumn(listSheet, "C", lists.customers),
    active: listColumn(listSheet, "D", ["Y", "N"]),
  };
  columns.forEach((key, i) => {
    const range = ranges[key];
    if (!range) return;
    const col = ws.getColumn(i + 1).letter;
    // exceljs has range validations at run time; its typings only know the per-cell form.
    (ws as unknown as RangeValidations).dataValidations.add(`${col}2:${col}${VALIDATED_ROWS}`, { type: "list", allowBlank: true, formulae: [range], showErrorMessage: true });
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** A warehouse's count sheet: every active item with its stock now; staff fill in the counted column. */
export async function countSheetWorkbook(locale: Locale, rows: AsyncIterable<CountRow>): Promise<Uint8Array> {
  const words = IMPORT_WORDS[locale];
  const columns = columnsOf("stocktake");
  const wb = new ExcelJS.Workbook();
  const ws = dataSheet(wb, words, columns);
  const nameKey = locale === "ko" ? "name_ko" : locale === "zh" ? "name_zh" : "name_en";
  for await (const r of rows) ws.addRow([r.sku, r[nameKey] ?? r.name_ko, r.unit, r.on_hand, null]);
  helpSheet(wb, words, columns);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * The error report, streamed: the header and every row as read, an error column (in the user's
 * language) and the cells that are wrong filled red. Rows without errors stay, so the whole
 * corrected sheet can be uploaded again.
 */
export function errorReportStream(record: ImportRecord, locale: Locale, rows: AsyncIterable<ImportRow>): ReadableStream<Uint8Array> {
  const words = IMPORT_WORDS[locale];
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const columnOf = new Map(Object.entries(record.mapping).map(([field, col]) => [field, col]));
  const width = record.headers.length;
  void (async () => {
    const ws = wb.addWorksheet(record.sheet_name ?? words.template.dataSheet);
    const header = ws.addRow([...record.headers, words.report.errorColumn]);
    header.font = HEADER_FONT;
    header.commit();
    for await (const r of rows) {
      const cells = Array.from({ length: width }, (_, i) => r.cells[i] ?? null);
      const row = ws.addRow([...cells, r.errors.map((e) => errorText(words, e)).join("\n") || null]);
      for (const e of r.errors) {
        const col = columnOf.get(e.field);
        if (col !== undefined) row.getCell(col + 1).fill = BAD_FILL;
      }
      if (r.errors.length > 0) row.getCell(width + 1).fill = BAD_FILL;
      row.commit();
    }
    ws.commit();
    await wb.commit();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
