import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { flowAction, getFlow } from "@/lib/data/flows";
import {
  applyImport,
  getImport,
  listImportRows,
  recordImport,
  rememberedMapping,
  remapImport,
  validateImport,
  type ImportKind,
  type ImportTarget,
} from "@/lib/data/imports";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { USERS, CUSTOMERS, type DemoUser } from "../helpers/demo";
import { staleItemListRows } from "../helpers/item-list-rows";
import { sqlAs } from "../helpers/sql-as";
import { createTestSessions } from "../helpers/sessions";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// Imports (migration 20261205000500): rows recorded as the app parsed them, validated by SQL as
// the user, applied in one transaction, once. Each test makes its own SKUs.

const appError = (code: string) => expect.objectContaining({ name: "AppError", code });
const SEL = "10000000-0000-4000-8000-000000000001";
const YIW = "10000000-0000-4000-8000-000000000002";

const ITEM_HEADERS = ["SKU", "한글명", "中文名", "English name", "단위", "사업부문", "재주문점", "단가", "바코드", "고객사", "사용"];
const ITEM_MAPPING = { sku: 0, name_ko: 1, name_zh: 2, name_en: 3, unit: 4, engine_code: 5, reorder_point: 6, unit_cost: 7, barcode: 8, customer_code: 9, active: 10 };
const LINE_HEADERS = ["SKU", "바코드", "품명", "수량"];
const LINE_MAPPING = { sku: 0, barcode: 1, name: 2, qty: 3 };

type Cells = (string | null)[];

async function start(user: DemoUser, kind: ImportKind, cells: Cells[], target: ImportTarget = {}) {
  const items = kind === "items";
  return recordImport(
    USERS[user].id,
    kind,
    {
      fileName: `${kind}.xlsx`,
      fileSize: 1234,
      sheetName: "Sheet1",
      headerRow: 1,
      headers: items ? ITEM_HEADERS : LINE_HEADERS,
      rows: cells.map((c, i) => ({ row_no: i + 2, cells: c })),
    },
    items ? ITEM_MAPPING : LINE_MAPPING,
    target,
  );
}

async function run(user: DemoUser, kind: ImportKind, cells: Cells[], target: ImportTarget = {}) {
  const rec = await start(user, kind, cells, target);
  return validateImport(as(user), rec.id);
}

const tag = () => randomUUID().slice(0, 8).toUpperCase();
const itemRow = (sku: string, over: Partial<Record<keyof typeof ITEM_MAPPING, string | null>> = {}): Cells => {
  const base: Record<keyof typeof ITEM_MAPPING, string | null> = {
    sku, name_ko: `시험 ${sku}`, name_zh: `测试 ${sku}`, name_en: `Test ${sku}`, unit: "EA", engine_code: "LCD",
    reorder_point: "5", unit_cost: "1,200", barcode: null, customer_code: null, active: "Y", ...over,
  };
  return (Object.keys(ITEM_MAPPING) as (keyof typeof ITEM_MAPPING)[]).map((k) => base[k]);
};

function describeImportsContract(makeDb: MakeDb) {
  describe("imports", () => {
    const getDb = databaseForSuite(makeDb);
    const q = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => getDb().query<T>(sql, params);
    const onHand = async (sku: string, location: string) =>
      Number((await q<{ n: string }>(
        "select coalesce((select s.on_hand from public.stocks s join public.items i on i.id = s.item_id where i.sku = $1 and s.location_id = $2), 0)::text as n",
        [sku, location]))[0].n);

    it("items: new, changed and unchanged rows, with the field-level changes; apply writes them, audited against the import", async () => {
      const t = tag();
      await run("korean", "items", [itemRow(`A-${t}`), itemRow(`B-${t}`, { unit_cost: "500" })]).then((r) => applyImport(as("korean"), r.id));

      const rec = await run("korean", "items", [
        itemRow(`A-${t}`),
        itemRow(`B-${t}`, { unit_cost: "750", engine_code: "KEYB", name_zh: null }),
        itemRow(`C-${t}`, { unit: "kg", reorder_point: "1.5", active: "미사용" }),
      ]);
      expect(rec).toMatchObject({ status: "ready", progress: 1, rows: { total: 3, new: 1, changed: 1, unchanged: 1, error: 0 } });
      const changed = await listImportRows(as("korean"), rec.id, { status: "changed" });
      expect(changed.data).toHaveLength(1);
      expect(changed.data[0]).toMatchObject({
        row_no: 3,
        changes: { unit_cost: { from: 500, to: 750 }, engine_code: { from: "LCD", to: "KEYB" } },
      });

      const result = await applyImport(as("korean"), rec.id);
      expect(result).toMatchObject({ status: "applied", created: 1, updated: 1, flow: null, rows: { new: 1, changed: 1, unchanged: 1 } });
      // The item list's kept rows follow the items made and changed (20261226000100).
      expect(await staleItemListRows(q)).toEqual([]);
      const items = await q<{ sku: string; unit: string; unit_cost: string; reorder_point: string; active: boolean; name_zh: string | null }>(
        "select sku, unit, unit_cost::text, reorder_point::text, active, name_zh from public.items where sku like $1 order by sku", [`%-${t}`]);
      expect(items).toEqual([
        { sku: `A-${t}`, unit: "EA", unit_cost: "1200.00", reorder_point: "5.000", active: true, name_zh: `测试 A-${t}` },
        { sku: `B-${t}`, unit: "EA", unit_cost: "750.00", reorder_point: "5.000", active: true, name_zh: `测试 B-${t}` },
        { sku: `C-${t}`, unit: "KG", unit_cost: "1200.00", reorder_point: "1.500", active: false, name_zh: `测试 C-${t}` },
      ]);
      const audit = await q<{ action: string; table_name: string; actor_id: string; sku: string }>(
        "select action, table_name, actor_id::text, coalesce(after ->> 'sku', '') as sku from public.audit_log where import_id = $1 and table_name = 'items' order by sku",
        [rec.id]);
      expect(audit).toEqual([
        { action: "update", table_name: "items", actor_id: USERS.korean.id, sku: `B-${t}` },
        { action: "insert", table_name: "items", actor_id: USERS.korean.id, sku: `C-${t}` },
      ]);
      const recorded = await q<{ kind: string; created_by: string; file_name: string; status: string; new_rows: number }>(
        "select kind, created_by::text, file_name, status, new_rows from public.imports where id = $1", [rec.id]);
      expect(recorded).toEqual([{ kind: "items", created_by: USERS.korean.id, file_name: "items.xlsx", status: "applied", new_rows: 1 }]);
    });

    it("a second apply answers the first result and writes nothing more", async () => {
      const t = tag();
      const rec = await run("manager", "items", [itemRow(`I-${t}`)]);
      const first = await applyImport(as("manager"), rec.id);
      const auditBefore = await q("select id from public.audit_log where import_id = $1", [rec.id]);
      const second = await applyImport(as("manager"), rec.id);
      expect(second).toEqual(first);
      expect(await q("select id from public.audit_log where import_id = $1", [rec.id])).toEqual(auditBefore);
      expect(await q("select id from public.items where sku = $1", [`I-${t}`])).toHaveLength(1);
    });

    it("errors are per row and per cell; apply is refused (409 import_invalid) while any row has one, and a new mapping validates again", async () => {
      const t = tag();
      const rec = await run("admin", "items", [
        itemRow(`E1-${t}`, { engine_code: "NOPE", reorder_point: "-1" }),
        itemRow(`E2-${t}`, { unit: "PCS", unit_cost: "12abc" }),
        itemRow(`E3-${t}`, { customer_code: "NOBODY", name_ko: null }),
        itemRow(`DUP-${t}`),
        itemRow(`dup-${t}`),
        itemRow(`OK-${t}`, { barcode: "8801000000011" }),
        itemRow("bad sku!"),
      ]);
      expect(rec).toMatchObject({ status: "invalid", rows: { total: 7, error: 7 } });
      const rows = (await listImportRows(as("admin"), rec.id, { status: "error" })).data;
      const codes = Object.fromEntries(rows.map((r) => [r.row_no, r.errors.map((e) => `${e.field}:${e.code}`).sort()]));
      expect(codes).toEqual({
        2: ["engine_code:unknown_engine", "reorder_point:negative"],
        3: ["unit:invalid_unit", "unit_cost:not_a_number"],
        4: ["customer_code:unknown_customer", "name_ko:required"],
        5: ["sku:duplicate_key"],
        6: ["sku:duplicate_key"],
        7: ["barcode:barcode_taken"],
        8: ["sku:invalid_sku"],
      });
      expect(rows[3].errors[0].params).toEqual({ rows: [5, 6] });
      await expect(applyImport(as("admin"), rec.id)).rejects.toThrow(appError("import_invalid"));
      expect(await q("select id from public.items where sku like $1", [`%-${t}`])).toEqual([]);

      // Mapping the SKU column away: every row now lacks its key.
      const remapped = await remapImport(as("admin"), rec.id, { ...ITEM_MAPPING, sku: null });
      expect(remapped).toMatchObject({ status: "invalid", mapping: { name_ko: 1 }, rows: { error: 7 } });
      expect((await listImportRows(as("admin"), rec.id, { status: "error", limit: 1 })).data[0].errors).toContainEqual({ field: "sku", code: "required" });
      expect(await rememberedMapping(as("admin"), "items")).toMatchObject({ name_ko: "한글명", unit: "단위" });
      expect(await rememberedMapping(as("admin"), "items")).not.toHaveProperty("sku");
    });

    it("two rows of an item file with the same new barcode are refused on both, and nothing is written", async () => {
      const t = tag();
      const barcode = `88${String(Date.now()).slice(-11)}`;
      const rec = await run("korean", "items", [itemRow(`BC1-${t}`, { barcode }), itemRow(`BC2-${t}`, { barcode }), itemRow(`BC3-${t}`)]);
      const rows = (await listImportRows(as("korean"), rec.id, { status: "error" })).data;
      expect(rows.map((r) => [r.row_no, r.errors])).toEqual([
        [2, [{ field: "barcode", code: "duplicate_key", params: { rows: [2, 3] } }]],
        [3, [{ field: "barcode", code: "duplicate_key", params: { rows: [2, 3] } }]],
      ]);
      await expect(applyImport(as("korean"), rec.id)).rejects.toThrow(appError("import_invalid"));
      expect(await q("select id from public.items where sku like $1", [`BC_-${t}`])).toEqual([]);
    });

    it("a bad row among 10,000 writes nothing; without it the 10,000 are written in one apply", async () => {
      const t = tag();
      const good = Array.from({ length: 10000 }, (_, i) => itemRow(`BULK${i}-${t}`));
      const bad = [...good.slice(0, 9999), itemRow(`BULK9999-${t}`, { unit_cost: "-5" })];
      const refused = await run("korean", "items", bad);
      expect(refused.rows).toEqual({ total: 10000, new: 9999, changed: 0, unchanged: 0, error: 1 });
      await expect(applyImport(as("korean"), refused.id)).rejects.toThrow(appError("import_invalid"));
      expect(await q("select count(*)::int as n from public.items where sku like $1", [`%-${t}`])).toEqual([{ n: 0 }]);

      const rec = await run("korean", "items", good);
      expect(rec.status).toBe("ready");
      expect(await applyImport(as("korean"), rec.id)).toMatchObject({ created: 10000 });
      expect(await q("select count(*)::int as n from public.items i join public.item_stock_totals s on s.item_id = i.id where i.sku like $1", [`%-${t}`]))
        .toEqual([{ n: 10000 }]);
    }, 300_000);

    it("apply checks again at apply time: a row made wrong since the preview refuses the whole import", async () => {
      const t = tag();
      const rec = await run("korean", "items", [itemRow(`R1-${t}`), itemRow(`R2-${t}`, { barcode: `BC${t}` })]);
      expect(rec.status).toBe("ready");
      await q("insert into public.items (sku, name_ko, barcode) values ($1, 'other', $2)", [`OTHER-${t}`, `BC${t}`]);
      await expect(applyImport(as("korean"), rec.id)).rejects.toThrow(appError("import_invalid"));
      expect(await q("select sku from public.items where sku in ($1, $2)", [`R1-${t}`, `R2-${t}`])).toEqual([]);
    });

    it("items imports: korean_team, manager and admin; never chinese_staff or customers", async () => {
      for (const user of ["chinese", "acme"] as const) {
        await expect(start(user, "items", [itemRow(`X-${tag()}`)])).rejects.toThrow(appError("forbidden"));
      }
      for (const user of ["korean", "manager", "admin"] as const) {
        expect((await start(user, "items", [itemRow(`Y-${tag()}`)])).status).toBe("validating");
      }
    });

    it("line imports: every staff role (drafts only), never customers", async () => {
      for (const kind of ["inbound", "stocktake"] as const) {
        expect((await run("chinese", kind, [["KEYB-FELT", null, null, "1"]], { location_id: SEL })).status).toBe("ready");
        await expect(start("acme", kind, [["KEYB-FELT", null, null, "1"]], { location_id: SEL })).rejects.toThrow(appError("forbidden"));
      }
      await expect(start("bluesky", "outbound", [["KEYB-FELT", null, null, "1"]], { location_id: SEL, customer_id: CUSTOMERS.bluesky }))
        .rejects.toThrow(appError("forbidden"));
    });

    it("recording parsed rows is service-role only; another user's import does not exist for them", async () => {
      for (const who of ["korean", "anon"] as const) {
        await expect(sqlAs(getDb(), who, "select public.import_begin('items', 'f.xlsx', 1, null, 1, '[]', '{}', 0, null, null, null, null)"))
          .rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), who, "select public.import_rows_add(gen_random_uuid(), '[]', true, null)")).rejects.toMatchObject({ code: "42501" });
      }
      const rec = await run("korean", "items", [itemRow(`P-${tag()}`)]);
      await expect(getImport(as("manager"), rec.id)).rejects.toThrow(appError("not_found"));
      await expect(applyImport(as("manager"), rec.id)).rejects.toThrow(appError("not_found"));
      expect(await sqlAs(getDb(), "manager", "select id from public.imports where id = $1", [rec.id])).toEqual([]);
      expect(await sqlAs(getDb(), "korean", "select id from public.imports where id = $1", [rec.id])).toEqual([{ id: rec.id }]);
      await expect(sqlAs(getDb(), "anon", "select public.import_apply($1, null)", [rec.id])).rejects.toMatchObject({ code: "42501" });
      // Applied directly with the user's own token, as PostgREST would: the same rules hold.
      const direct = await sqlAs<{ r: { status: string } }>(getDb(), "korean", "select public.import_apply($1, null) as r", [rec.id]);
      expect(direct[0].r.status).toBe("applied");
    });

    it("a role taken away takes the import with it at once", async () => {
      const rec = await start("korean", "items", [itemRow(`Z-${tag()}`)]);
      await q("update public.profiles set role = 'chinese_staff' where id = $1", [USERS.korean.id]);
      try {
        // The role change ended the user's sessions: the old one is nobody now...
        await expect(validateImport(as("korean"), rec.id)).rejects.toThrow(appError("unauthorized"));
        // ...and signed in again as chinese_staff, the items import is out of reach.
        await createTestSessions(q, [USERS.korean.id]);
        await expect(validateImport(as("korean"), rec.id)).rejects.toThrow(appError("forbidden"));
      } finally {
        await q("update public.profiles set role = 'korean_team' where id = $1", [USERS.korean.id]);
        await createTestSessions(q, [USERS.korean.id]);
      }
    });

    it("inbound from a packing list: items found by SKU, barcode or an exact name in any language; a draft inbound", async () => {
      const rec = await run("chinese", "inbound", [
        ["lcd-24-fhd", null, null, "10"],
        [null, "8801000000028", null, "1,000"],
        [null, null, "机械键盘红轴", "3"],
        [null, null, "Felt desk mat", "２"],
        [null, null, "없는 품목", "1"],
        ["KEYB-WL-SET", null, null, "1.5"],
        ["LCD-CLN-KIT", null, null, "-2"],
        ["LCD-CBL-HD", null, null, "0"],
      ], { location_id: SEL });
      const errors = (await listImportRows(as("chinese"), rec.id, { status: "error" })).data.map((r) => [r.row_no, r.errors.map((e) => e.code)]);
      expect(errors).toEqual([[5, ["not_a_number"]], [6, ["item_not_found"]], [7, ["too_many_decimals"]], [8, ["negative"]], [9, ["zero"]]]);
      await expect(applyImport(as("chinese"), rec.id)).rejects.toThrow(appError("import_invalid"));

      const ok = await run("chinese", "inbound", [
        ["lcd-24-fhd", null, null, "10"],
        [null, "8801000000028", null, "1,000"],
        [null, null, "机械键盘红轴", "3"],
        [null, null, "데스크 매트 (펠트)", "4"],
      ], { location_id: SEL });
      expect(ok.rows).toMatchObject({ total: 4, new: 4, error: 0 });
      const result = await applyImport(as("chinese"), ok.id);
      expect(result.flow).toMatchObject({ kind: "inbound" });
      const flow = await getFlow(as("manager"), result.flow!.id);
      expect(flow).toMatchObject({ status: "draft", kind: "inbound", to_location_id: SEL, created_by: USERS.chinese.id, reference: "inbound.xlsx" });
      expect(flow.lines.map((l) => [l.sku, Number(l.qty)])).toEqual([["LCD-24-FHD", 10], ["LCD-27-QHD", 1000], ["KEYB-MX-RED", 3], ["KEYB-FELT", 4]]);
      const audited = await q("select id from public.audit_log where import_id = $1 and table_name in ('flows', 'flow_lines')", [ok.id]);
      expect(audited).toHaveLength(5);
    });

    it("the same item twice in a packing list is refused on both rows", async () => {
      const rec = await run("korean", "inbound", [["LCD-24-FHD", null, null, "1"], [null, "8801000000011", null, "2"]], { location_id: YIW });
      const rows = (await listImportRows(as("korean"), rec.id, {})).data;
      expect(rows.map((r) => [r.status, r.errors.map((e) => e.code)])).toEqual([["error", ["duplicate_key"]], ["error", ["duplicate_key"]]]);
    });

    it("outbound: a draft for a customer from the chosen warehouse; the customer and warehouse must exist", async () => {
      await expect(start("korean", "outbound", [["LCD-ACME-27", null, null, "2"]], { location_id: SEL }))
        .rejects.toThrow(appError("validation_failed"));
      await expect(start("korean", "outbound", [["LCD-ACME-27", null, null, "2"]], { location_id: randomUUID(), customer_id: CUSTOMERS.acme }))
        .rejects.toThrow(appError("validation_failed"));
      const rec = await run("korean", "outbound", [["LCD-ACME-27", null, null, "2"], ["KEYB-ACME-KR", null, null, "5"]],
        { location_id: SEL, customer_id: CUSTOMERS.acme });
      const result = await applyImport(as("korean"), rec.id);
      const flow = await getFlow(as("korean"), result.flow!.id);
      expect(flow).toMatchObject({ kind: "outbound", status: "draft", from_location_id: SEL, customer_id: CUSTOMERS.acme });
      expect(flow.lines).toHaveLength(2);
      const audited = await q("select table_name, actor_id::text as actor from public.audit_log where import_id = $1 order by id", [rec.id]);
      expect(audited).toEqual([
        { table_name: "flows", actor: USERS.korean.id },
        { table_name: "flow_lines", actor: USERS.korean.id },
        { table_name: "flow_lines", actor: USERS.korean.id },
        { table_name: "imports", actor: USERS.korean.id }, // the import itself, marked applied
      ]);
    });

    it("stocktake: the difference against the stock now becomes a draft adjustment; rows not counted are left alone; it commits through approval", async () => {
      const before = { red: await onHand("KEYB-MX-RED", SEL), brn: await onHand("KEYB-MX-BRN", SEL), wl: await onHand("KEYB-WL-01", SEL), mem: await onHand("KEYB-MEM-01", SEL) };
      const rec = await run("chinese", "stocktake", [
        ["KEYB-MX-RED", null, null, String(before.red - 3)],
        ["KEYB-MX-BRN", null, null, String(before.brn + 4)],
        ["KEYB-WL-01", null, null, String(before.wl)],
        ["KEYB-MEM-01", null, null, null],
      ], { location_id: SEL });
      expect(rec.rows).toEqual({ total: 4, new: 0, changed: 2, unchanged: 2, error: 0 });
      const changed = (await listImportRows(as("chinese"), rec.id, { status: "changed" })).data;
      expect(changed[0].changes).toEqual({ on_hand: { from: before.red, to: before.red - 3 } });

      const result = await applyImport(as("chinese"), rec.id);
      const flow = await getFlow(as("manager"), result.flow!.id);
      expect(flow).toMatchObject({ kind: "adjustment", status: "draft", to_location_id: SEL });
      expect(flow.lines.map((l) => [l.sku, Number(l.qty)])).toEqual([["KEYB-MX-RED", -3], ["KEYB-MX-BRN", 4]]);
      const linked = "select table_name from public.audit_log where import_id = $1 order by id";
      expect(await q(linked, [rec.id])).toEqual([{ table_name: "flows" }, { table_name: "flow_lines" }, { table_name: "flow_lines" }, { table_name: "imports" }]);

      await flowAction(as("chinese"), "submit", flow.id);
      await flowAction(as("manager"), "approve", flow.id);
      await flowAction(as("manager"), "commit", flow.id);
      expect(await onHand("KEYB-MX-RED", SEL)).toBe(before.red - 3);
      expect(await onHand("KEYB-MX-BRN", SEL)).toBe(before.brn + 4);
      expect(await onHand("KEYB-WL-01", SEL)).toBe(before.wl);
      expect(await onHand("KEYB-MEM-01", SEL)).toBe(before.mem);
      // The approval's own changes are the approvers', not the import's: the link ended with apply's transaction.
      expect(await q(linked, [rec.id])).toHaveLength(4);
    });

    it("a stocktake sheet whose count column is not mapped is invalid, not a count of nothing", async () => {
      const rec = await start("korean", "stocktake", [["KEYB-FELT", null, null, "1"]], { location_id: YIW });
      const remapped = await remapImport(as("korean"), rec.id, { sku: 0 });
      expect(remapped).toMatchObject({ status: "invalid", rows: { error: 1, unchanged: 0 } });
    });

    it("stocktake counting exactly what is in stock creates no flow", async () => {
      const rec = await run("korean", "stocktake", [["KEYB-FELT", null, null, String(await onHand("KEYB-FELT", YIW))]], { location_id: YIW });
      expect(rec.rows).toMatchObject({ unchanged: 1, changed: 0 });
      expect(await applyImport(as("korean"), rec.id)).toMatchObject({ flow: null, created: 0 });
    });

    it("a file with no rows is invalid; more than 50,000 rows are refused", async () => {
      expect((await run("korean", "items", [])).status).toBe("invalid");
      await expect(recordImport(USERS.korean.id, "items",
        { fileName: "big.xlsx", fileSize: 1, sheetName: null, headerRow: 1, headers: ITEM_HEADERS, rows: Array.from({ length: 50001 }, (_, i) => ({ row_no: i + 2, cells: [] })) },
        ITEM_MAPPING, {})).rejects.toThrow(appError("validation_failed"));
      expect(await q("select id from public.imports where file_name = 'big.xlsx'")).toEqual([]);
    });
  });
}

describeImportsContract(contractDb);
