import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { updateEngine } from "@/lib/data/engines";
import { createFlow, flowAction } from "@/lib/data/flows";
import { createItem, deleteItem, listItems, updateItem } from "@/lib/data/items";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { itemListRows, staleItemListRows } from "../helpers/item-list-rows";
import { sqlAs } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// items_list reads each row as kept in item_stock_totals.list_row (20261226000100) instead of
// building it on every page. The kept rows must always be what building them from the tables
// gives, whatever changed: an item made, edited or deleted, a statement that changes many items,
// an engine's code, stock committed. An item without a totals row is still listed, built as
// before. Nobody reads the column directly, and the helper that builds a row is not callable.

type Row = Record<string, unknown>;

function describeItemListRowsContract(makeDb: MakeDb) {
  describe("item list rows kept with the stock totals", () => {
    const getDb = databaseForSuite(makeDb);
    const q = <T = Row>(sql: string, params?: unknown[]) => getDb().query<T>(sql, params);

    /** Every page of items_list in sku order as the Korean team calls it, rows as JSON. */
    const listed = async (): Promise<Row[]> => {
      const rows: Row[] = [];
      for (let page = 1; ; page++) {
        const [{ r }] = await sqlAs<{ r: { data: Row[] } }>(getDb(), "korean", "select public.items_list(p_sort => 'sku', p_page => $1, p_limit => 100) as r", [page]);
        rows.push(...r.data);
        if (r.data.length < 100) return rows;
      }
    };
    /** The list is the rows built from the tables, in sku order, and every kept row is current. */
    const expectListCurrent = async () => {
      expect(await staleItemListRows(q)).toEqual([]);
      expect(await listed()).toEqual((await itemListRows(q)).map((r) => JSON.parse(r.live)));
    };
    const rowOf = async (sku: string) => (await listed()).find((r) => r.sku === sku);
    const newItem = (over: Record<string, unknown> = {}) =>
      createItem(as("admin"), { sku: `ROW-${randomUUID().slice(0, 8)}`, name_ko: "목록 행 시험", unit: "EA", reorder_point: 3, unit_cost: 10, ...over } as never) as Promise<{ id: string; sku: string }>;
    const engineId = async (code: string) => (await q<{ id: string }>("select id from public.engines where code = $1", [code]))[0].id;
    const locationId = async (code: string) => (await q<{ id: string }>("select id from public.locations where code = $1", [code]))[0].id;

    it("the seeded catalogue: every row kept and listed as built from the tables", async () => {
      expect((await itemListRows(q)).length).toBeGreaterThan(20);
      await expectListCurrent();
    });

    it("an item made, edited (names, engine, reorder point, deactivated) and deleted", async () => {
      const item = await newItem({ engine_id: await engineId("LCD") });
      expect(await rowOf(item.sku)).toMatchObject({ id: item.id, on_hand: 0, engine_code: "LCD", unit_cost: 10, active: true });
      await expectListCurrent();

      await updateItem(as("admin"), item.id, { name_zh: "列表行测试", name_en: "List row test", engine_id: await engineId("KEYB"), reorder_point: 7 });
      expect(await rowOf(item.sku)).toMatchObject({ name_zh: "列表行测试", name_en: "List row test", engine_code: "KEYB", reorder_point: 7 });
      await expectListCurrent();

      await updateItem(as("admin"), item.id, { active: false, engine_id: null });
      expect(await rowOf(item.sku)).toMatchObject({ active: false, engine_id: null, engine_code: null });
      await expectListCurrent();

      await deleteItem(as("admin"), item.id);
      expect(await rowOf(item.sku)).toBeUndefined();
      await expectListCurrent();
    });

    it("stock committed in and out: the row's on_hand follows the totals", async () => {
      const item = await newItem();
      const sel = await locationId("KR-SEL");
      const commit = async (kind: "inbound" | "outbound", qty: number) => {
        const flow = (await createFlow(as("korean"), {
          kind,
          ...(kind === "inbound" ? { to_location_id: sel } : { from_location_id: sel }),
          lines: [{ item_id: item.id, qty }],
        } as never)) as { id: string };
        await flowAction(as("korean"), "submit", flow.id);
        await flowAction(as("manager"), "approve", flow.id);
        await flowAction(as("manager"), "commit", flow.id);
      };
      await commit("inbound", 12);
      expect(await rowOf(item.sku)).toMatchObject({ on_hand: 12 });
      await commit("outbound", 5);
      expect(await rowOf(item.sku)).toMatchObject({ on_hand: 7 });
      await expectListCurrent();
    });

    it("one statement changing many items, and an engine's new code", async () => {
      const [a, b] = [await newItem({ engine_id: await engineId("LCD") }), await newItem({ engine_id: await engineId("LCD") })];
      await q("update public.items set name_en = 'Changed ' || sku, unit_cost = unit_cost + 1 where id = any($1::uuid[])", [[a.id, b.id]]);
      expect(await rowOf(a.sku)).toMatchObject({ name_en: `Changed ${a.sku}`, unit_cost: 11 });
      await expectListCurrent();

      const lcd = await engineId("LCD");
      await updateEngine(as("admin"), lcd, { code: "LCDX" });
      expect(await rowOf(b.sku)).toMatchObject({ engine_id: lcd, engine_code: "LCDX" });
      await expectListCurrent();
      // Another field of the engine leaves its items' rows as they were.
      const before = (await itemListRows(q)).find((r) => r.sku === b.sku)?.kept;
      await updateEngine(as("admin"), lcd, { name_en: "Displays" });
      expect((await itemListRows(q)).find((r) => r.sku === b.sku)?.kept).toBe(before);
      await updateEngine(as("admin"), lcd, { code: "LCD" });
      await expectListCurrent();
    });

    it("an item without a totals row, or without its list row, is listed with nothing on hand, built as before", async () => {
      const item = await newItem();
      await q("delete from public.item_stock_totals where item_id = $1", [item.id]);
      expect((await itemListRows(q)).find((r) => r.sku === item.sku)).toMatchObject({ kept: null });
      expect(await rowOf(item.sku)).toMatchObject({ id: item.id, on_hand: 0 });
      const page = await listItems(as("korean"), { q: item.sku, sort: "sku", page: 1, limit: 20 });
      expect(page.data.map((r) => r.sku)).toEqual([item.sku]);
      expect(await listed()).toEqual((await itemListRows(q)).map((r) => JSON.parse(r.live)));
      // A totals row without its list row (a load with triggers off): the same.
      const other = await newItem();
      await q("update public.item_stock_totals set list_row = null where item_id = $1", [other.id]);
      expect(await rowOf(other.sku)).toMatchObject({ id: other.id, on_hand: 0 });
      expect(await listed()).toEqual((await itemListRows(q)).map((r) => JSON.parse(r.live)));
    });

    it("denied: the kept rows are not granted to anyone signed in, and the row builder is not callable", async () => {
      for (const who of ["admin", "manager", "korean", "acme"] as const) {
        await expect(sqlAs(getDb(), who, "select list_row from public.item_stock_totals")).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), who, "select private.item_list_row(i, 0) from public.items i limit 1")).rejects.toMatchObject({ code: "42501" });
        // The builder by id is gone (20261227000200): the one above is the only one.
        await expect(sqlAs(getDb(), who, "select private.item_list_row(id, 0) from public.items limit 1")).rejects.toMatchObject({ code: "42883" });
      }
      await expect(sqlAs(getDb(), "anon", "select list_row from public.item_stock_totals")).rejects.toMatchObject({ code: "42501" });
      // Allowed: the staff still read the totals' other columns; a customer's policy shows none.
      expect((await sqlAs(getDb(), "korean", "select item_id, on_hand, shortage, updated_at from public.item_stock_totals")).length).toBeGreaterThan(0);
      expect(await sqlAs(getDb(), "acme", "select item_id, on_hand from public.item_stock_totals")).toEqual([]);
    });
  });
}

describeItemListRowsContract(contractDb);
