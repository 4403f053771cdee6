import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { setStorage } from "@/lib/storage";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { openTestDatabase } from "../helpers/pglite";
import { client, request, tokenFor, type ApiResponse } from "../helpers/router";
import ExcelJS from "exceljs";
import * as errorsRoute from "@/app/api/v1/imports/[id]/errors/route";
import * as templateRoute from "@/app/api/v1/imports/templates/[kind]/route";
import { readXlsx, sheetOf } from "../helpers/sheets";
import { refusalKey } from "@/lib/imports/refusal";
import { parseImportFile } from "@/lib/imports/parse";
import { recordImport, validateImportBatch } from "@/lib/data/imports";
import { as } from "../helpers/as";

// /api/v1/imports through the route handlers on this file's own embedded database: upload,
// preview, errors, mapping, apply (all or nothing, once), who may import what, refused files.

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
let dataDir = "";
const previousDataDir = process.env.DATA_DIR;
const SEL = "10000000-0000-4000-8000-000000000001";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "duly-imports-"));
  process.env.DATA_DIR = dataDir;
  resetEnvCache();
  setStorage(undefined);
  ({ db } = await openTestDatabase());
});

afterAll(async () => {
  if (previousDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = previousDataDir;
  resetEnvCache();
  setStorage(undefined);
  await rm(dataDir, { recursive: true, force: true });
});

async function upload(who: DemoUser | null, fields: Record<string, string>, file?: { bytes: Uint8Array; name: string }): Promise<ApiResponse> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: XLSX }), file.name);
  return request("POST", "/api/v1/imports", { rawBody: form, token: who ? await tokenFor(who) : undefined });
}

const HEADER = ["품번", "품명(한글)", "中文名", "English name", "단위", "사업부문", "단가"];
const itemsSheet = (t: string, bad: boolean) =>
  sheetOf([
    ["상품 마스터"],
    HEADER,
    [`API-1-${t}`, "첫째", "第一", "First", "EA", "LCD", "1,000"],
    [`API-2-${t}`, "둘째", "第二", "Second", bad ? "PCS" : "EA", "KEYB", "２,０００"],
    [`API-3-${t}`, "셋째", "第三", "Third", "EA", bad ? "NOPE" : "LCD", "3000"],
  ]);

describe("/api/v1/imports", () => {
  it("an item sheet with two bad rows: preview, errors per cell, apply refused; fixed, it applies once", async () => {
    const t = randomUUID().slice(0, 6).toUpperCase();
    const res = await upload("korean", { kind: "items" }, { bytes: await itemsSheet(t, true), name: "items.xlsx" });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      kind: "items",
      status: "invalid",
      header_row: 2,
      mapping: { sku: 0, name_ko: 1, name_zh: 2, name_en: 3, unit: 4, engine_code: 5, unit_cost: 6 },
      rows: { total: 3, new: 1, changed: 0, unchanged: 0, error: 2 },
    });
    const id = res.body.data.id as string;
    const api = client("korean");

    const errors = await api.get(`/api/v1/imports/${id}/rows?status=error`);
    expect(errors.status).toBe(200);
    expect(errors.body.data.map((r: { row_no: number; errors: { field: string; code: string }[] }) => [r.row_no, r.errors])).toEqual([
      [4, [{ field: "unit", code: "invalid_unit", params: { value: "PCS" } }]],
      [5, [{ field: "engine_code", code: "unknown_engine", params: { value: "NOPE" } }]],
    ]);
    expect((await api.post(`/api/v1/imports/${id}/apply`)).body.error.code).toBe("import_invalid");
    expect((await api.post(`/api/v1/imports/${id}/apply`)).status).toBe(409);

    const fixed = await upload("korean", { kind: "items" }, { bytes: await itemsSheet(t, false), name: "items-fixed.xlsx" });
    expect(fixed.body.data).toMatchObject({ status: "ready", rows: { new: 3, error: 0 } });
    const applied = await api.post(`/api/v1/imports/${fixed.body.data.id}/apply`);
    expect(applied.status).toBe(200);
    expect(applied.body.data).toMatchObject({ status: "applied", created: 3, updated: 0, flow: null });
    expect((await api.post(`/api/v1/imports/${fixed.body.data.id}/apply`)).body).toEqual(applied.body);
    const listed = await api.get(`/api/v1/items?q=API-2-${t}`);
    expect(listed.body.data).toEqual([expect.objectContaining({ sku: `API-2-${t}`, unit_cost: 2000, engine_code: "KEYB" })]);
  });

  it("PATCH changes the mapping, validates again and remembers it for the user's next file", async () => {
    const bytes = await sheetOf([["Code", "Menge", "Stück"], ["KEYB-FELT", "1", "2"]]);
    const first = await upload("chinese", { kind: "inbound", location_id: SEL }, { bytes, name: "p.xlsx" });
    expect(first.body.data).toMatchObject({ status: "invalid", mapping: { sku: 0 } });
    const api = client("chinese");
    const patched = await api.patch(`/api/v1/imports/${first.body.data.id}`, { mapping: { sku: 0, qty: 2 } });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ status: "ready", mapping: { sku: 0, qty: 2 }, rows: { new: 1 } });
    const again = await upload("chinese", { kind: "inbound", location_id: SEL }, { bytes, name: "p2.xlsx" });
    expect(again.body.data).toMatchObject({ status: "ready", mapping: { sku: 0, qty: 2 } });
    // Remembered per user and kind: another user's file, and this user's file of another kind, are mapped afresh.
    const otherUser = await upload("korean", { kind: "inbound", location_id: SEL }, { bytes, name: "p3.xlsx" });
    expect(otherUser.body.data).toMatchObject({ status: "invalid", mapping: { sku: 0 } });
    expect(otherUser.body.data.mapping).not.toHaveProperty("qty");
    const otherKind = await upload("chinese", { kind: "outbound", location_id: SEL, customer_id: CUSTOMERS.acme }, { bytes, name: "p4.xlsx" });
    expect(otherKind.body.data).toMatchObject({ status: "invalid", mapping: { sku: 0 } });
    expect(otherKind.body.data.mapping).not.toHaveProperty("qty");
    expect((await api.patch(`/api/v1/imports/${first.body.data.id}`, { mapping: { sku: 9 } })).status).toBe(422);
  });

  it("a client-chosen id: GET reports the import and its progress; another user's is 404", async () => {
    const id = randomUUID();
    const res = await upload("korean", { kind: "stocktake", location_id: SEL, id }, { bytes: await sheetOf([["SKU", "Counted"], ["KEYB-FELT", ""]]), name: "c.xlsx" });
    expect(res.body.data).toMatchObject({ id, status: "ready", progress: 1, rows: { unchanged: 1 } });
    expect((await client("korean").get(`/api/v1/imports/${id}`)).body.data).toMatchObject({ id, status: "ready", progress: 1 });
    expect((await client("manager").get(`/api/v1/imports/${id}`)).status).toBe(404);
  });

  it("while a large file is read and checked, GET answers validating with the server's progress, rising to 1", async () => {
    // The steps POST /api/v1/imports takes, one at a time: the file read and recorded (the first
    // half of the work), then its rows checked 2,000 a call (the second half), each call
    // committed, so a GET in between reads how far the server has come.
    const id = randomUUID();
    const sheet = [HEADER, ...Array.from({ length: 5000 }, (_, i) => [`PRG-${i}`, `진행 ${i}`, `进度 ${i}`, `Progress ${i}`, "EA", "LCD", "1000"])];
    const api = client("korean");
    expect((await api.get(`/api/v1/imports/${id}`)).status).toBe(404); // nothing yet
    const parsed = await parseImportFile({ bytes: await sheetOf(sheet), fileName: "big.xlsx", kind: "items" });
    await recordImport(USERS.korean.id, "items", parsed, parsed.mapping, {}, id);
    const seen: number[] = [];
    const poll = async (status: string) => {
      const res = await api.get(`/api/v1/imports/${id}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id, status });
      seen.push(res.body.data.progress);
    };
    await poll("validating");
    expect(seen[0]).toBe(0.5); // read and recorded, nothing checked yet
    await validateImportBatch(as("korean"), id);
    await poll("validating");
    await validateImportBatch(as("korean"), id);
    await poll("validating");
    expect(seen).toEqual([0.5, 0.7, 0.9]);
    const last = await validateImportBatch(as("korean"), id);
    expect(last).toMatchObject({ status: "ready", progress: 1, rows: { total: 5000, new: 5000 } });
    await poll("ready");
    expect(seen.at(-1)).toBe(1);
    // Only its user follows it; nothing is written before apply.
    expect((await client("manager").get(`/api/v1/imports/${id}`)).status).toBe(404);
    expect((await db.query<{ n: number }>("select count(*)::int as n from public.items where sku like 'PRG-%'")).rows[0].n).toBe(0);
  }, 180_000); // 5,000 rows parsed and checked on a shared machine: no timing is asserted

  it("an unknown or inactive target is refused by the database with the field named, so the page words it", async () => {
    const bytes = await sheetOf([["SKU", "Qty"], ["KEYB-FELT", 1]]);
    const before = (await db.query<{ n: number }>("select count(*)::int as n from public.imports")).rows[0].n;
    const noWarehouse = await upload("korean", { kind: "inbound", location_id: randomUUID() }, { bytes, name: "w.xlsx" });
    expect(noWarehouse.status).toBe(422);
    expect(noWarehouse.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "location_id" }] });
    expect(refusalKey(noWarehouse.body.error.details)).toBe("refused.location_id");
    const noCustomer = await upload("korean", { kind: "outbound", location_id: SEL, customer_id: randomUUID() }, { bytes, name: "c.xlsx" });
    expect(noCustomer.status).toBe(422);
    expect(refusalKey(noCustomer.body.error.details)).toBe("refused.customer_id");
    expect((await db.query<{ n: number }>("select count(*)::int as n from public.imports")).rows[0].n).toBe(before);
  });

  it("who may import: items not by chinese_staff; nothing by customers or anonymous callers", async () => {
    const bytes = await sheetOf([["SKU", "Qty"], ["KEYB-FELT", 1]]);
    expect((await upload("chinese", { kind: "items" }, { bytes, name: "i.xlsx" })).status).toBe(403);
    expect((await upload("acme", { kind: "outbound", location_id: SEL, customer_id: CUSTOMERS.acme }, { bytes, name: "o.xlsx" })).status).toBe(403);
    expect((await upload(null, { kind: "inbound", location_id: SEL }, { bytes, name: "o.xlsx" })).status).toBe(401);
    expect((await upload("chinese", { kind: "outbound", location_id: SEL, customer_id: CUSTOMERS.acme }, { bytes, name: "o.xlsx" })).status).toBe(201);
  });

  it("refused files and requests write nothing", async () => {
    const before = (await db.query<{ n: number }>("select count(*)::int as n from public.imports")).rows[0].n;
    expect((await upload("korean", { kind: "items" }, { bytes: new TextEncoder().encode("%PDF-1.4"), name: "x.pdf" })).status).toBe(415);
    expect((await upload("korean", { kind: "items" }, { bytes: new Uint8Array(5 * 1024 * 1024), name: "big.xlsx" })).status).toBe(413);
    expect((await upload("korean", { kind: "stock" }, { bytes: await sheetOf([["SKU"], ["X"]]), name: "x.xlsx" })).status).toBe(422);
    expect((await upload("korean", { kind: "inbound" }, { bytes: await sheetOf([["SKU", "Qty"], ["KEYB-FELT", 1]]), name: "x.xlsx" })).status).toBe(422);
    expect((await upload("korean", { kind: "items" })).status).toBe(422);
    const json = await client("korean").post("/api/v1/imports", { kind: "items", attachment_id: randomUUID() });
    expect(json.status).toBe(404);
    expect((await db.query<{ n: number }>("select count(*)::int as n from public.imports")).rows[0].n).toBe(before);
  });

  it("a cell longer than Excel allows (32,767 characters) refuses the file with 422, naming the sheet, row and column; nothing is written", async () => {
    const count = async () =>
      (await db.query<{ n: string }>("select (select count(*) from public.imports) || '/' || (select count(*) from public.import_rows) || '/' || (select count(*) from public.items) as n")).rows[0].n;
    const before = await count();
    const t = randomUUID().slice(0, 6).toUpperCase();
    const long = "설명".repeat(16_384); // 32,768 characters
    const xlsx = await sheetOf([HEADER, [`LONG-1-${t}`, "첫째", "第一", "First", "EA", "LCD", "1"], [`LONG-2-${t}`, "둘째", "第二", long, "EA", "LCD", "1"]], "품목");
    const refused = await upload("korean", { kind: "items" }, { bytes: xlsx, name: "long.xlsx" });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "validation_failed", details: { reason: "cell_too_long", sheet: "품목", row: 3, column: "D", max: 32_767 } });
    expect(refused.body.error.message).toContain("sheet 품목, row 3, column D");
    expect(refusalKey(refused.body.error.details)).toBe("refused.cell_too_long");

    const csv = new TextEncoder().encode(`SKU,Name (Korean)\nLONG-3-${t},${"x".repeat(40_000)}\n`);
    const refusedCsv = await upload("korean", { kind: "items" }, { bytes: csv, name: "long.csv" });
    expect(refusedCsv.status).toBe(422);
    expect(refusedCsv.body.error.details).toEqual({ reason: "cell_too_long", sheet: null, row: 2, column: "B", max: 32_767 });
    expect(await count()).toBe(before);
  });

  it("a text cell longer than its column allows is an error on its row, worded from its code, and apply writes nothing", async () => {
    const t = randomUUID().slice(0, 6).toUpperCase();
    // The longest cell Excel allows, in a name whose column holds 200 characters.
    const res = await upload(
      "korean",
      { kind: "items" },
      { bytes: await sheetOf([HEADER, [`TEXT-1-${t}`, "가".repeat(32_767), "第一", "First", "EA", "LCD", "1"], [`TEXT-2-${t}`, "둘째", "第二", "e".repeat(201), "EA", "LCD", "1"]]), name: "names.xlsx" },
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: "invalid", rows: { total: 2, error: 2 } });
    const api = client("korean");
    const rows = await api.get(`/api/v1/imports/${res.body.data.id}/rows?status=error`);
    expect(rows.body.data.map((r: { row_no: number; errors: unknown[] }) => [r.row_no, r.errors])).toEqual([
      [2, [{ field: "name_ko", code: "too_long", params: { max: 200 } }]],
      [3, [{ field: "name_en", code: "too_long", params: { max: 200 } }]],
    ]);
    const apply = await api.post(`/api/v1/imports/${res.body.data.id}/apply`);
    expect(apply.status).toBe(409);
    expect(apply.body.error.code).toBe("import_invalid");
    expect((await db.query("select 1 from public.items where sku like $1", [`TEXT-%-${t}`])).rows).toEqual([]);
    // The error report carries the long cell back as it was read.
    const report = await download("korean", `/api/v1/imports/${res.body.data.id}/errors?format=xlsx`);
    expect(report.status).toBe(200);
    const [sheet] = await readXlsx(report.bytes);
    expect(String(sheet.rows[1][1]).length).toBe(32_767);
  });

  it("a number beyond what its table holds (a reorder point, a quantity over 1,000,000,000) is an error on its row, not a failed apply", async () => {
    const t = randomUUID().slice(0, 6).toUpperCase();
    const items = await upload(
      "korean",
      { kind: "items" },
      { bytes: await sheetOf([["SKU", "Name (Korean)", "Reorder point"], [`BOUND-1-${t}`, "첫째", 1_000_000_000], [`BOUND-2-${t}`, "둘째", 5_000_000_000]]), name: "bounds.xlsx" },
    );
    expect(items.status).toBe(201);
    expect(items.body.data).toMatchObject({ status: "invalid", rows: { new: 1, error: 1 } });
    const api = client("korean");
    const rows = await api.get(`/api/v1/imports/${items.body.data.id}/rows?status=error`);
    expect(rows.body.data.map((r: { row_no: number; errors: unknown[] }) => [r.row_no, r.errors])).toEqual([[3, [{ field: "reorder_point", code: "too_large" }]]]);

    const inbound = await upload("korean", { kind: "inbound", location_id: SEL }, { bytes: await sheetOf([["SKU", "Qty"], ["KEYB-FELT", 2_000_000_000]]), name: "packing.xlsx" });
    expect(inbound.status).toBe(201);
    expect(inbound.body.data).toMatchObject({ status: "invalid", rows: { error: 1 } });
    expect((await api.post(`/api/v1/imports/${inbound.body.data.id}/apply`)).status).toBe(409);
  });

  it("a direct upload of an import file (up to 20 MB): begin, PUT the bytes, import by its token, once and only by its user", async () => {
    const t = randomUUID().slice(0, 6).toUpperCase();
    const bytes = await itemsSheet(t, false);
    const begin = await client("korean").post("/api/v1/imports/uploads", { file_name: "big-items.xlsx", size: bytes.length });
    expect(begin.status).toBe(201);
    const { token, url, method } = begin.body.data as { token: string; url: string; method: string };
    expect(method).toBe("PUT");
    expect(url).toBe(`/api/v1/imports/uploads/${token}`); // same-origin path: works on any host
    const other = await request("PUT", `/api/v1/imports/uploads/${token}`, { rawBody: bytes as Uint8Array<ArrayBuffer>, token: await tokenFor("manager") });
    expect(other.status).toBe(404);
    const put = await request("PUT", `/api/v1/imports/uploads/${token}`, { rawBody: bytes as Uint8Array<ArrayBuffer>, token: await tokenFor("korean") });
    expect(put.status).toBe(200);
    expect(put.body.data).toEqual({ size_bytes: bytes.length });

    expect((await client("manager").post("/api/v1/imports", { kind: "items", upload: token, file_name: "big-items.xlsx" })).status).toBe(404);
    const res = await client("korean").post("/api/v1/imports", { kind: "items", upload: token, file_name: "big-items.xlsx" });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ file_name: "big-items.xlsx", status: "ready", rows: { new: 3 } });
    // Read once: the stored file is gone.
    expect((await client("korean").post("/api/v1/imports", { kind: "items", upload: token, file_name: "big-items.xlsx" })).status).toBe(409);

    expect((await client("korean").post("/api/v1/imports/uploads", { file_name: "huge.xlsx", size: 21 * 1024 * 1024 })).status).toBe(413);
    expect((await client("korean").post("/api/v1/imports/uploads", { file_name: "photo.png", size: 10 })).status).toBe(415);
    expect((await client("acme").post("/api/v1/imports/uploads", { file_name: "a.xlsx", size: 10 })).status).toBe(403);
  });

  it("a finished direct upload can be imported by its id", async () => {
    const t = randomUUID().slice(0, 6).toUpperCase();
    const form = new FormData();
    form.set("kind", "document");
    form.set("customer_id", CUSTOMERS.acme);
    form.set("file", new Blob([(await itemsSheet(t, false)) as Uint8Array<ArrayBuffer>], { type: XLSX }), "upload.xlsx");
    const attachment = await request("POST", "/api/v1/attachments", { rawBody: form, token: await tokenFor("korean") });
    expect(attachment.status).toBe(201);
    const res = await client("korean").post("/api/v1/imports", { kind: "items", attachment_id: attachment.body.data.id });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ file_name: "upload.xlsx", status: "ready", rows: { new: 3 } });
  });

  async function download(who: DemoUser, url: string, token?: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Uint8Array }> {
    const full = new URL(url, "http://localhost");
    const parts = full.pathname.split("/");
    const [route, params] = parts.includes("templates") ? [templateRoute, { kind: parts.at(-1) }] : [errorsRoute, { id: parts.at(-2) }];
    const req = new Request(full, { headers: { authorization: `Bearer ${token ?? (await tokenFor(who))}` } });
    const res = await (route.GET as (r: Request, c: unknown) => Promise<Response>)(req, { params: Promise.resolve(params) });
    return { status: res.status, type: res.headers.get("content-type"), disposition: res.headers.get("content-disposition"), bytes: new Uint8Array(await res.arrayBuffer()) };
  }

  it("templates: headers in the user's language, a sample row, drop-down lists, every column explained in three languages; the sample imports as is", async () => {
    const ko = await download("korean", "/api/v1/imports/templates/items?format=xlsx");
    expect(ko.status).toBe(200);
    expect(ko.type).toMatch(/spreadsheetml/);
    const [data, help] = await readXlsx(ko.bytes);
    expect(data.rows[0]).toEqual(["SKU", "품목명 (한국어)", "품목명 (중국어)", "품목명 (영어)", "단위", "사업 라인 코드", "재주문점", "단가(원)", "바코드", "고객사 코드", "사용"]);
    expect(data.rows[1][0]).toBe("SAMPLE-001");
    expect(help.rows[0]).toEqual(["항목", "한국어", "中文", "English"]);
    expect(help.rows[5]).toEqual(["단위", expect.stringContaining("EA, BOX"), expect.stringContaining("EA、BOX"), expect.stringContaining("EA, BOX")]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(ko.bytes) as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getCell("E3").dataValidation).toMatchObject({ type: "list", formulae: [expect.stringContaining("$A$1:$A$5")] });
    expect(wb.worksheets[0].getCell("F3").dataValidation).toMatchObject({ type: "list", formulae: [expect.stringContaining("$B$1:$B$2")] });

    const zh = await readXlsx((await download("chinese", "/api/v1/imports/templates/inbound?format=xlsx")).bytes);
    expect(zh[0].rows[0]).toEqual(["SKU", "条码", "品名", "数量"]);
    expect((await download("chinese", "/api/v1/imports/templates/items?format=xlsx")).status).toBe(403);
    // Customers import nothing: no template, no count sheet of a warehouse's stock.
    expect((await download("acme", "/api/v1/imports/templates/outbound?format=xlsx")).status).toBe(403);
    expect((await download("acme", `/api/v1/imports/templates/stocktake?format=xlsx&location_id=${SEL}`)).status).toBe(403);

    const back = await upload("korean", { kind: "items" }, { bytes: ko.bytes, name: "template.xlsx" });
    expect(back.body.data).toMatchObject({ status: "ready", rows: { total: 1, new: 1 } });
    expect(Object.keys(back.body.data.mapping)).toHaveLength(11);
  });

  it("the error report: the rows as read, an error column in the user's language, the bad cells highlighted", async () => {
    const t = randomUUID().slice(0, 6).toUpperCase();
    const res = await upload("korean", { kind: "items" }, { bytes: await itemsSheet(t, true), name: "items.xlsx" });
    const report = await download("korean", `/api/v1/imports/${res.body.data.id}/errors?format=xlsx`);
    expect(report.status).toBe(200);
    const [sheet] = await readXlsx(report.bytes);
    expect(sheet.rows[0]).toEqual([...HEADER, "오류"]);
    expect(sheet.rows.slice(1).map((r) => [r[0], r[7] ?? null])).toEqual([
      [`API-1-${t}`, null],
      [`API-2-${t}`, "단위: 알 수 없는 단위입니다 (PCS). EA, BOX, SET, KG, M 중에서 쓰세요"],
      [`API-3-${t}`, "사업 라인 코드: 없는 사업 라인 코드입니다 (NOPE)"],
    ]);
    expect(Object.keys(sheet.fills).sort()).toEqual(["E3", "F4", "H3", "H4"]);
    expect((await download("manager", `/api/v1/imports/${res.body.data.id}/errors?format=xlsx`)).status).toBe(404);
  });

  it("stocktake: the count sheet of a warehouse, filled in and uploaded, becomes a draft adjustment of the differences", async () => {
    const token = await tokenFor("chinese");
    // 08:30 in Seoul on 5 December is still 4 December in UTC: the sheet is named for Seoul's day.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-04T23:30:00Z") });
    const sheet = await download("chinese", `/api/v1/imports/templates/stocktake?format=xlsx&location_id=${SEL}`, token).finally(() => vi.useRealTimers());
    expect(sheet.disposition).toContain(`filename*=UTF-8''${encodeURIComponent("库存盘点")}-2026-12-05.xlsx`);
    const [data] = await readXlsx(sheet.bytes);
    expect(data.rows[0]).toEqual(["SKU", "品名", "单位", "账面数量", "实盘数量"]);
    const felt = data.rows.find((r) => r[0] === "KEYB-PALM")!;
    expect(felt.slice(1, 3)).toEqual(["键盘手托", "EA"]);
    const expected = Number(felt[3]);
    const rows = data.rows.map((r, i) => (i === 0 ? r : [...r.slice(0, 4), r[0] === "KEYB-PALM" ? expected + 2 : null]));
    const res = await upload("chinese", { kind: "stocktake", location_id: SEL }, { bytes: await sheetOf(rows), name: "count.xlsx" });
    expect(res.body.data).toMatchObject({ status: "ready", mapping: { sku: 0, name: 1, qty: 4 }, rows: { changed: 1, error: 0 } });
    const applied = await client("chinese").post(`/api/v1/imports/${res.body.data.id}/apply`);
    const flow = await client("manager").get(`/api/v1/flows/${applied.body.data.flow.id}`);
    expect(flow.body.data).toMatchObject({ kind: "adjustment", status: "draft", lines: [expect.objectContaining({ sku: "KEYB-PALM", qty: 2 })] });
  });
});
