import type { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { stringify } from "csv-stringify/sync";
import type { Column } from "./columns";
import { cellValue, csvField, type BoolWords } from "./values";

// The two file formats, written batch by batch into a stream: nothing holds more than one batch.

export type ExportFormat = "xlsx" | "csv";
export type Row = Record<string, unknown>;

export interface FileWriter {
  rows(batch: Row[]): void;
  end(): Promise<void>;
}

export type WriterInput = { out: PassThrough; sheet: string; columns: readonly Column[]; labels: string[]; words: BoolWords };

const WHOLE: Partial<Record<Column["type"], string>> = { int: "#,##0", qty: "#,##0", krw: '"₩"#,##0' };
const FRACTION: Partial<Record<Column["type"], string>> = { qty: "#,##0.###", krw: '"₩"#,##0.00' };
const DATES: Partial<Record<Column["type"], string>> = { date: "yyyy-mm-dd", datetime: "yyyy-mm-dd hh:mm:ss" };

/** XLSX through exceljs's streaming writer: frozen bold header with a filter, typed and formatted cells. */
export function xlsxWriter({ out, sheet, columns, labels, words }: WriterInput): FileWriter {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = book.addWorksheet(sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ key: c.key, width: c.width, style: { numFmt: WHOLE[c.type] ?? DATES[c.type] } }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = ws.addRow(labels);
  header.font = { bold: true };
  header.commit();
  // Whole numbers read best without decimals; the few fractional ones get their own format.
  const fractional = columns.map((c, i) => (FRACTION[c.type] ? i : -1)).filter((i) => i >= 0);
  return {
    rows(batch) {
      for (const r of batch) {
        const values = columns.map((c) => cellValue(c, r[c.key], words));
        const row = ws.addRow(values);
        for (const i of fractional) {
          const v = values[i];
          if (typeof v === "number" && !Number.isInteger(v)) row.getCell(i + 1).numFmt = FRACTION[columns[i].type]!;
        }
        row.commit();
      }
    },
    async end() {
      ws.commit();
      await book.commit();
    },
  };
}

/** CSV: UTF-8 with a byte order mark, so Excel on Korean and Chinese Windows reads it as UTF-8. */
export function csvWriter({ out, columns, labels, words }: WriterInput): FileWriter {
  out.write(stringify([labels], { bom: true }));
  return {
    rows(batch) {
      out.write(stringify(batch.map((r) => columns.map((c) => csvField(c, r[c.key], words)))));
    },
    async end() {
      out.end();
    },
  };
}
