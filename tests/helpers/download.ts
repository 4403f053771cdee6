import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { tokenFor } from "./router";
import type { DemoUser } from "./demo";

// Downloads a file from a route handler (as Next.js calls it) and reads it back: XLSX with
// exceljs, CSV with csv-parse.

type Route = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type Download = { status: number; headers: Headers; bytes: Buffer; json: unknown };

export async function download(route: unknown, url: string, user?: DemoUser): Promise<Download> {
  const headers = new Headers();
  if (user) headers.set("authorization", `Bearer ${await tokenFor(user)}`);
  const res = await (route as Route)(new Request(new URL(url, "http://localhost"), { headers }), { params: Promise.resolve({}) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = (res.headers.get("content-type") ?? "").startsWith("application/json") ? JSON.parse(bytes.toString("utf8")) : null;
  return { status: res.status, headers: res.headers, bytes, json };
}

export type Sheet = { header: string[]; rows: unknown[][]; worksheet: ExcelJS.Worksheet };

/** The first worksheet: its header row and data rows as cell values (numbers, Dates, strings, null). */
export async function readXlsx(bytes: Buffer): Promise<Sheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const ws = book.worksheets[0];
  const width = ws.columnCount;
  const values: unknown[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    values.push(Array.from({ length: width }, (_, i) => row.getCell(i + 1).value ?? null));
  });
  return { header: values[0] as string[], rows: values.slice(1), worksheet: ws };
}

/** CSV records after the byte order mark, which must be there. */
export function readCsv(bytes: Buffer): { bom: boolean; header: string[]; rows: string[][] } {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const records = parse(bytes.subarray(bom ? 3 : 0).toString("utf8")) as string[][];
  return { bom, header: records[0], rows: records.slice(1) };
}
