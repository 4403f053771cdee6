import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { setStorage } from "@/lib/storage";
import { CUSTOMERS, type DemoUser } from "../helpers/demo";
import { openTestDatabase } from "../helpers/pglite";
import { client, request, tokenFor, type ApiResponse } from "../helpers/router";
import { sheetOf } from "../helpers/sheets";

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
    expect((await api.patch(`/api/v1/imports/${first.body.data.id}`, { mapping: { sku: 9 } })).status).toBe(422);
  });

  it("a client-chosen id: GET reports the import and its progress; another user's is 404", async () => {
    const id = randomUUID();
    const res = await upload("korean", { kind: "stocktake", location_id: SEL, id }, { bytes: await sheetOf([["SKU", "Counted"], ["KEYB-FELT", ""]]), name: "c.xlsx" });
    expect(res.body.data).toMatchObject({ id, status: "ready", progress: 1, rows: { unchanged: 1 } });
    expect((await client("korean").get(`/api/v1/imports/${id}`)).body.data).toMatchObject({ id, status: "ready", progress: 1 });
    expect((await client("manager").get(`/api/v1/imports/${id}`)).status).toBe(404);
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
});
