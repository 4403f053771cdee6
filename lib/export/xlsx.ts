import type { Writable } from "node:stream";
import type { Column, ColumnType } from "./columns";
import { ZipStream } from "./zip";

// A one-sheet XLSX workbook written as a stream: the package's small parts, then the worksheet's
// rows as they come, deflated on the way out. What exceljs's streaming writer wrote (frozen bold
// header with a filter, column widths, typed and formatted cells, inline strings), without its
// per-cell objects: they cost 40-50 microseconds a row, this a few. The ledger's rows arrive as
// ready <row> elements from Postgres (public.ledger_export_text), written with the same styles.

/** cellXfs indices of styles.xml below; the SQL helpers (private.xlsx_*) use 2, 3 and 7. */
export const STYLE = { header: 1, whole: 2, fraction: 3, krw: 4, krwFraction: 5, date: 6, datetime: 7 } as const;

const NUM_FMTS = ["#,##0", "#,##0.###", '"₩"#,##0', '"₩"#,##0.00', "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Text as XML character data: markup escaped, characters XML 1.0 cannot hold dropped. */
const INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const NEEDS_WORK = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
export function xmlText(s: string): string {
  return NEEDS_WORK.test(s) ? s.replace(INVALID, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") : s;
}

/** A, B, …, Z, AA, … for a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function styles(): string {
  const fmts = NUM_FMTS.map((f, i) => `<numFmt numFmtId="${164 + i}" formatCode="${esc(f)}"/>`).join("");
  const xf = (fmt: number, font = 0) =>
    `<xf numFmtId="${fmt}" fontId="${font}" fillId="0" borderId="0" xfId="0"${fmt ? ' applyNumberFormat="1"' : ""}${font ? ' applyFont="1"' : ""}/>`;
  const xfs = [xf(0), xf(0, 1), ...NUM_FMTS.map((_, i) => xf(164 + i))];
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    `<numFmts count="${NUM_FMTS.length}">${fmts}</numFmts>` +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join("")}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    "</styleSheet>"
  );
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const CONTENT_TYPES =
  XML +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  "</Types>";
const ROOT_RELS =
  XML +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  "</Relationships>";
const WORKBOOK_RELS =
  XML +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
  "</Relationships>";

/** Bytes of worksheet XML collected before deflate gets them. */
const ROW_BUFFER = 1 << 20;

/** Excel's own limit on rows in a sheet. */
export const MAX_SHEET_ROWS = 1_048_576;

export type SheetInput = { out: Writable; sheet: string; columns: readonly Column[]; labels: string[]; level?: number };

/**
 * Writes the package around one worksheet. `rows(xml, count)` takes that many <row> elements
 * numbered from `nextRow` on; `end()` closes the sheet with its filter and finishes the file.
 */
export class XlsxSheetWriter {
  private readonly zip: ZipStream;
  private readonly sheet: ReturnType<ZipStream["stream"]>;
  private readonly name: string;
  private readonly lastColumn: string;
  /** The sheet row the next data row gets (the header is row 1). */
  nextRow = 2;

  constructor({ out, sheet, columns, labels, level = 1 }: SheetInput) {
    // Sheet names: at most 31 characters, none of : \ / ? * [ ].
    this.name = sheet.replace(/[:\\/?*[\]]/g, " ").slice(0, 31) || "Sheet1";
    this.lastColumn = columnLetter(columns.length - 1);
    this.zip = new ZipStream(out, level);
    this.zip.file("[Content_Types].xml", CONTENT_TYPES);
    this.zip.file("_rels/.rels", ROOT_RELS);
    this.zip.file("xl/_rels/workbook.xml.rels", WORKBOOK_RELS);
    this.zip.file("xl/styles.xml", styles());
    this.sheet = this.zip.stream("xl/worksheets/sheet1.xml");
    const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join("");
    const header = labels.map((l, i) => `<c r="${columnLetter(i)}1" s="${STYLE.header}" t="inlineStr"><is><t>${xmlText(l)}</t></is></c>`).join("");
    const head =
      XML +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
      '<sheetFormatPr defaultRowHeight="15"/>' +
      `<cols>${cols}</cols><sheetData><row r="1" s="${STYLE.header}" customFormat="1">${header}</row>`;
    if (head.length * 3 > this.buffer.length) this.buffer = Buffer.allocUnsafe(head.length * 3);
    this.used = this.buffer.write(head);
  }

  // Rows one at a time go into a byte buffer that is handed to deflate whole when full. Writing
  // each row's string into bytes at once is about five times faster than joining a batch of
  // them into one string first: a long string of many pieces holding Korean text is slow to
  // flatten and encode, and it is garbage of megabytes rather than of a row.
  private buffer = Buffer.allocUnsafe(ROW_BUFFER);
  private used = 0;

  /** Hands the filled part of the row buffer to deflate; a promise when deflate is full. */
  private handOff(): Promise<void> | undefined {
    if (this.used === 0) return undefined;
    const full = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(ROW_BUFFER);
    this.used = 0;
    return this.sheet.write(full);
  }

  /**
   * One row's XML (`count` rows when it holds several), numbered `nextRow` by the caller. Returns
   * a promise only when the caller must wait for deflate (the output is full); else undefined, so
   * a million rows cost no million awaits.
   */
  row(xml: string, count = 1): Promise<void> | undefined {
    this.nextRow += count;
    // UTF-8 takes at most three bytes per UTF-16 unit.
    if (this.used + xml.length * 3 <= this.buffer.length) {
      this.used += this.buffer.write(xml, this.used);
      return undefined;
    }
    const before = this.handOff();
    if (xml.length * 3 > this.buffer.length) {
      const after = this.sheet.write(xml);
      return before && after ? Promise.all([before, after]).then(() => undefined) : (before ?? after);
    }
    this.used += this.buffer.write(xml, this.used);
    return before;
  }

  /** Many rows' XML at once (text the database wrote). */
  async rows(xml: string, count: number): Promise<void> {
    await this.row(xml, count);
  }

  async end(): Promise<void> {
    await this.handOff();
    const ref = `A1:${this.lastColumn}${Math.max(1, this.nextRow - 1)}`;
    await this.sheet.write(`</sheetData><autoFilter ref="${ref}"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`);
    await this.sheet.end();
    const quoted = `'${this.name.replace(/'/g, "''")}'`;
    const [from, to] = ref.split(":");
    const absolute = (a: string) => a.replace(/^([A-Z]+)(\d+)$/, "$$$1$$$2");
    this.zip.file(
      "xl/workbook.xml",
      XML +
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        `<bookViews><workbookView/></bookViews><sheets><sheet name="${esc(this.name)}" sheetId="1" r:id="rId1"/></sheets>` +
        `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">${esc(`${quoted}!${absolute(from)}:${absolute(to)}`)}</definedName></definedNames>` +
        "</workbook>",
    );
    this.zip.finish();
  }
}

/** A cell's style for a number of a column type (whole numbers without decimals). */
export function numberStyle(type: ColumnType, value: number): number {
  return numberStyleOf(type, Number.isInteger(value));
}

/** The same, from whether the number is whole. */
export function numberStyleOf(type: ColumnType, whole: boolean): number {
  if (type === "krw") return whole ? STYLE.krw : STYLE.krwFraction;
  if (type === "qty") return whole ? STYLE.whole : STYLE.fraction;
  return STYLE.whole;
}
