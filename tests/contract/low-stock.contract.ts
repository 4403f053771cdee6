import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createFlow, flowAction } from "@/lib/data/flows";
import { createItem, deleteItem, updateItem } from "@/lib/data/items";
import { listStocks } from "@/lib/data/stocks";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { become, becomeSuperuser, sqlAs } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// The low-stock list reads item_stock_totals.shortage (migration 20261130000500), which triggers
// keep as stock, reorder points and the active flag change. It must always say what comparing
// every item's total with its reorder point says, in the same order. Without a filter its page
// and count come from public.low_stock_items (20261229000100), one row per low item kept by a
// trigger on the totals: it must hold exactly the low items, with their shortage and sku.

const appError = (code: string) => expect.objectContaining({ name: "AppError", code });

function describeLowStockContract(makeDb: MakeDb) {
  describe("low-stock list", () => {
    const getDb = databaseForSuite(makeDb);

    const truth = () =>
      getDb().query<{ item_id: string; shortage: string }>(
        `select i.id as item_id, (i.reorder_point - coalesce(t.on_hand, 0))::text as shortage
         from public.items i left join public.item_stock_totals t on t.item_id = i.id
         where i.active and i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point
         order by i.reorder_point - coalesce(t.on_hand, 0) desc, i.sku`,
      );
    const listed = async () => {
      const r = await listStocks(as("korean"), { low: true, page: 1, limit: 100 });
      return { ids: r.data.map((row) => row.item_id as string), count: r.count, rows: r.data };
    };
    const expectListEqualsTruth = async () => {
      const [t, l] = await Promise.all([truth(), listed()]);
      expect(l.count).toBe(t.length);
      expect(l.ids).toEqual(t.slice(0, 100).map((r) => r.item_id));
      const stale = await getDb().query(
        `select t.item_id from public.item_stock_totals t join public.items i on i.id = t.item_id
         where t.shortage is distinct from (case when i.active and i.reorder_point > 0 and t.on_hand < i.reorder_point then i.reorder_point - t.on_hand end)`,
      );
      expect(stale).toEqual([]);
      const kept = await getDb().query<{ item_id: string; shortage: string }>(
        "select l.item_id, l.shortage::text as shortage from public.low_stock_items l order by l.shortage desc, l.sku",
      );
      expect(kept).toEqual(t);
      const keptSkus = await getDb().query(
        "select l.item_id from public.low_stock_items l join public.items i on i.id = l.item_id where l.sku is distinct from i.sku",
      );
      expect(keptSkus).toEqual([]);
    };
    const locationId = async (code: string) => (await getDb().query<{ id: string }>("select id from public.locations where code = $1", [code]))[0].id;
    const newItem = (reorder: number) =>
      createItem(as("admin"), { sku: `LOW-${randomUUID().slice(0, 8)}`, name_ko: "저재고 시험", unit: "EA", reorder_point: reorder, unit_cost: 0 });
    const move = async (kind: "inbound" | "outbound", itemId: string, qty: number) => {
      const sel = await locationId("KR-SEL");
      const flow = await createFlow(as("korean"), {
        kind,
        ...(kind === "inbound" ? { to_location_id: sel } : { from_location_id: sel }),
        lines: [{ item_id: itemId, qty }],
      });
      await flowAction(as("korean"), "submit", flow.id);
      await flowAction(as("manager"), "approve", flow.id);
      await flowAction(as("manager"), "commit", flow.id);
    };

    it("the seeded data: the list equals comparing every item's total with its reorder point", async () => {
      expect((await truth()).length).toBeGreaterThan(0);
      await expectListEqualsTruth();
    });

    it("a new item with a reorder point and no stock is low; one without a reorder point is not", async () => {
      const low = await newItem(5);
      const none = await newItem(0);
      const { ids } = await listed();
      expect(ids).toContain(low.id);
      expect(ids).not.toContain(none.id);
      await expectListEqualsTruth();
    });

    it("follows stock: an inbound above the reorder point takes the item off, an outbound below puts it back", async () => {
      const item = await newItem(10);
      await move("inbound", item.id, 12);
      expect((await listed()).ids).not.toContain(item.id);
      await move("outbound", item.id, 5);
      const after = await listed();
      expect(after.ids).toContain(item.id);
      expect(after.rows.find((r) => r.item_id === item.id)).toMatchObject({ on_hand: 7, reorder_point: 10, shortage: 3 });
      await expectListEqualsTruth();
      // Low before and after: its shortage moves with the stock.
      await move("outbound", item.id, 2);
      expect((await listed()).rows.find((r) => r.item_id === item.id)).toMatchObject({ on_hand: 5, shortage: 5 });
      await expectListEqualsTruth();
    });

    it("follows the item: reorder point raised or lowered, deactivated and reactivated", async () => {
      const item = await newItem(0);
      await move("inbound", item.id, 4);
      expect((await listed()).ids).not.toContain(item.id);
      await updateItem(as("admin"), item.id, { reorder_point: 9 });
      expect((await listed()).rows.find((r) => r.item_id === item.id)).toMatchObject({ shortage: 5 });
      await updateItem(as("admin"), item.id, { reorder_point: 12 });
      expect((await listed()).rows.find((r) => r.item_id === item.id)).toMatchObject({ shortage: 8 });
      await expectListEqualsTruth();
      await updateItem(as("admin"), item.id, { active: false });
      expect((await listed()).ids).not.toContain(item.id);
      await updateItem(as("admin"), item.id, { active: true });
      expect((await listed()).ids).toContain(item.id);
      await updateItem(as("admin"), item.id, { reorder_point: 4 });
      expect((await listed()).ids).not.toContain(item.id);
      await expectListEqualsTruth();
    });

    it("follows renames and deletions: a renamed low item takes its new place in the sku order, a deleted one goes", async () => {
      // Two items short by the same amount: the sku decides their order, and a rename swaps it.
      const first = await createItem(as("admin"), { sku: "LOW-A-REN", name_ko: "저재고 시험", unit: "EA", reorder_point: 777, unit_cost: 0 });
      const second = await createItem(as("admin"), { sku: "LOW-B-REN", name_ko: "저재고 시험", unit: "EA", reorder_point: 777, unit_cost: 0 });
      const order = async () => (await listed()).ids.filter((id) => id === first.id || id === second.id);
      expect(await order()).toEqual([first.id, second.id]);
      await updateItem(as("admin"), first.id, { sku: "LOW-C-REN" });
      expect(await order()).toEqual([second.id, first.id]);
      await expectListEqualsTruth();
      expect((await deleteItem(as("admin"), second.id)).deleted).toBe(true);
      expect(await order()).toEqual([first.id]);
      await expectListEqualsTruth();
    });

    it("the unfiltered page and count read the low items' table, not the totals' index of low items; a filtered page reads the totals", async () => {
      const lowIndexScans = (pageQuery: string) =>
        getDb().rolledBack(async (q) => {
          const scans = async () =>
            (await q<{ n: number }>("select pg_stat_get_xact_numscans('public.item_stock_totals_low_idx'::regclass)::int as n"))[0].n;
          const kept = async () =>
            (await q<{ n: number }>("select coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0)::int as n from pg_stat_xact_user_tables where relid = 'public.low_stock_items'::regclass"))[0].n;
          const before = [await scans(), await kept()];
          await become(q, "korean");
          const r = (await q<{ r: { count: number; data: unknown[] } }>(pageQuery))[0].r;
          await becomeSuperuser(q);
          return { lowIndex: (await scans()) - before[0], keptTable: (await kept()) - before[1], count: r.count, rows: r.data.length };
        });
      const total = (await truth()).length;
      const unfiltered = await lowIndexScans("select public.stocks_list(p_low => true, p_page => 1, p_limit => 20)::jsonb as r");
      expect(unfiltered).toEqual({ lowIndex: 0, keptTable: 2, count: total, rows: Math.min(20, total) });
      const engine = (await getDb().query<{ id: string }>("select engine_id as id from public.items where engine_id is not null limit 1"))[0].id;
      const filtered = await lowIndexScans(`select public.stocks_list(p_low => true, p_engine_id => '${engine}', p_page => 1, p_limit => 20)::jsonb as r`);
      expect(filtered.keptTable).toBe(0);
    });

    it("filters by item and location like the full list", async () => {
      const item = await newItem(3);
      const byItem = await listStocks(as("manager"), { low: true, item_id: item.id, page: 1, limit: 10 });
      expect(byItem.data.map((r) => r.item_id)).toEqual([item.id]);
      // No stock row at Yiwu for it: not low *there*.
      const byLocation = await listStocks(as("manager"), { low: true, item_id: item.id, location_id: await locationId("CN-YIW"), page: 1, limit: 10 });
      expect(byLocation.count).toBe(0);
    });

    it("each low item carries its stock rows by location code, only the asked location's when one is given", async () => {
      const stockRows = async (itemId: string, locationId?: string) =>
        (
          await getDb().query<{ location_id: string; location_code: string; on_hand: string }>(
            `select s.location_id, l.code as location_code, s.on_hand::text from public.stocks s join public.locations l on l.id = s.location_id
             where s.item_id = $1 and ($2::uuid is null or s.location_id = $2) order by l.code`,
            [itemId, locationId ?? null],
          )
        ).map((r) => ({ ...r, on_hand: Number(r.on_hand) }));
      const item = await newItem(50);
      await move("inbound", item.id, 5);
      const all = await listStocks(as("korean"), { low: true, page: 1, limit: 100 });
      expect(all.data.length).toBeGreaterThan(1);
      for (const row of all.data) {
        const locations = (row.locations as { location_id: string; location_code: string; on_hand: number | string }[]).map((l) => ({ ...l, on_hand: Number(l.on_hand) }));
        expect(locations).toEqual(await stockRows(row.item_id as string));
      }
      const mine = all.data.find((r) => r.item_id === item.id);
      expect(mine?.locations).toHaveLength(1);
      const sel = await locationId("KR-SEL");
      const atSeoul = await listStocks(as("korean"), { low: true, location_id: sel, page: 1, limit: 100 });
      expect(atSeoul.data.length).toBeGreaterThan(0);
      for (const row of atSeoul.data) {
        const locations = (row.locations as { location_id: string; on_hand: number | string }[]).map((l) => ({ ...l, on_hand: Number(l.on_hand) }));
        expect(locations).toEqual(await stockRows(row.item_id as string, sel));
      }
    });

    // The unfiltered page's items come from private.low_stock_page with its plan kept (20261223000300).
    it("page after page, the unfiltered list is the whole low list in order, one page past the end empty", async () => {
      const t = (await truth()).map((r) => r.item_id);
      expect(t.length).toBeGreaterThan(7);
      const seen: string[] = [];
      for (let page = 1; page <= Math.ceil(t.length / 7) + 1; page++) {
        const r = await listStocks(as("chinese"), { low: true, page, limit: 7 });
        expect(r.count).toBe(t.length);
        seen.push(...r.data.map((row) => row.item_id as string));
      }
      expect(seen).toEqual(t);
    });

    it("the page helper and the low items' table are the list's own: no API role calls or reads them", async () => {
      for (const who of ["manager", "acme", "anon"] as const) {
        await expect(sqlAs(getDb(), who, "select private.low_stock_page(10, 0)"), who).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), who, "select private.low_stock_items_build()"), who).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), who, "select count(*) from public.low_stock_items"), who).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), who, "delete from public.low_stock_items"), who).rejects.toMatchObject({ code: "42501" });
      }
      const [{ n }] = await sqlAs<{ n: number }>(getDb(), "service_role", "select count(*)::int as n from public.low_stock_items");
      expect(n).toBe((await truth()).length);
      expect((await sqlAs<{ n: number }>(getDb(), "manager", "select json_array_length(public.stocks_list(p_low => true) -> 'data') as n"))[0].n).toBeGreaterThan(0);
    });

    it("customers may not read it; nobody outside the database writes the shortage", async () => {
      await expect(listStocks(as("acme"), { low: true, page: 1, limit: 10 })).rejects.toEqual(appError("forbidden"));
      await expect(sqlAs(getDb(), "manager", "update public.item_stock_totals set shortage = 0")).rejects.toMatchObject({ code: "42501" });
      await expect(sqlAs(getDb(), "anon", "select public.stocks_list(p_low => true)")).rejects.toMatchObject({ code: "42501" });
    });
  });
}

describeLowStockContract(contractDb);
