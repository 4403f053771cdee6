import { describe, expect, it } from "vitest";
import { listItems } from "@/lib/data/items";
import { as } from "../helpers/as";
import { itemMarksAndPlaces } from "../helpers/item-marks";
import { attempt, withRole } from "../helpers/sql-as";
import { contractDb } from "../helpers/contract-db";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// items_list counts exactly while at most 1,000 items match a filter, and answers the planner's
// estimate (never below 1,001) with count_exact = false beyond that (migration 20261207130300).
// Without a filter the count is exact whatever the size, and the sku pages start from the sku
// marks (public.item_sku_marks, 20261221000100): the sku at every 100th place, made again by the
// items' statement triggers. The pages must be the sku order both ways, and the marks must follow
// every statement that adds, removes or renames items.

const page = { sort: "sku", page: 1, limit: 20 };

function describeListCountsContract(makeDb: MakeDb) {
  describe("item list counts", () => {
    const getDb = databaseForSuite(makeDb);
    const skusInOrder = async () => (await getDb().query<{ sku: string }>("select sku from public.items order by sku")).map((r) => r.sku);
    const expectMarksAgree = async () => {
      const { marks, places } = await itemMarksAndPlaces(getDb().query);
      expect(marks).toEqual(places);
    };
    // Every page of the list without a filter, both ways, is its slice of the sku order.
    const expectEveryPage = async (skus: string[], limit: number) => {
      const pages = Math.ceil(skus.length / limit);
      const down = [...skus].reverse();
      for (let n = 1; n <= pages; n++) {
        const up = await listItems(as("korean"), { sort: "sku", page: n, limit });
        expect(up.data.map((r) => r.sku)).toEqual(skus.slice((n - 1) * limit, n * limit));
        expect(up.count).toBe(skus.length);
        const back = await listItems(as("korean"), { sort: "-sku", page: n, limit });
        expect(back.data.map((r) => r.sku)).toEqual(down.slice((n - 1) * limit, n * limit));
      }
    };
    const truth = async (where = "true") => Number((await getDb().query<{ n: string }>(`select count(*)::text as n from public.items i where ${where}`))[0].n);

    it("up to 1,000 matches: the exact count, count_exact true", async () => {
      const all = await listItems(as("korean"), page);
      expect(all.count_exact).toBe(true);
      expect(all.count).toBe(await truth());
      const active = await listItems(as("korean"), { ...page, active: true });
      expect(active.count_exact).toBe(true);
      expect(active.count).toBe(await truth("i.active"));
    });

    it("more than 1,000 matches a filter: an estimate of at least 1,001, count_exact false; no filter or a narrower one: exact", async () => {
      await getDb().query(
        `insert into public.items (sku, name_ko, unit) select 'CNT-' || lpad(g::text, 5, '0'), '수량 시험 ' || g, 'EA' from generate_series(1, 1100) g`,
      );
      await getDb().query("analyze public.items");
      const total = await truth();
      expect(total).toBeGreaterThan(1000);

      const all = await listItems(as("korean"), page);
      expect(all.count_exact).toBe(true);
      expect(all.count).toBe(total);
      expect(all.data).toHaveLength(20);

      const searched = await listItems(as("korean"), { ...page, q: "CNT-" });
      expect(searched.count_exact).toBe(false);
      expect(searched.count).toBeGreaterThanOrEqual(1001);
      // From fresh statistics of a table this small the estimate is close to the truth.
      expect(Math.abs(searched.count - 1100) / 1100).toBeLessThan(0.25);

      const narrow = await listItems(as("korean"), { ...page, q: "CNT-0100" });
      expect(narrow.count_exact).toBe(true);
      expect(narrow.count).toBe(10); // CNT-01000 … CNT-01009
      expect(narrow.data.map((r) => r.sku)).toEqual(Array.from({ length: 10 }, (_, i) => `CNT-0100${i}`));
    });

    it("2,000 items or more without a filter: the exact count, every page in sku order both ways", async () => {
      await getDb().query(
        `insert into public.items (sku, name_ko, unit, active) select 'BIG-' || lpad(g::text, 5, '0'), '대량 시험 ' || g, 'EA', g % 3 <> 0 from generate_series(1, 2100) g`,
      );
      await getDb().query("analyze public.items");
      const total = await truth();
      expect(total).toBeGreaterThanOrEqual(2100);
      const skus = await skusInOrder();
      await expectMarksAgree();

      const first = await listItems(as("korean"), page);
      expect(first.count_exact).toBe(true);
      expect(first.count).toBe(total);
      expect(first.data.map((r) => r.sku)).toEqual(skus.slice(0, 20));
      await expectEveryPage(skus, 20);
      await expectEveryPage(skus, 100);
      // Pages of 7 cross the marks at every offset within them.
      for (const n of [14, 15, 29, 143, 144, Math.ceil(total / 7)]) {
        const up = await listItems(as("korean"), { ...page, limit: 7, page: n });
        expect(up.data.map((r) => r.sku)).toEqual(skus.slice((n - 1) * 7, n * 7));
        const down = await listItems(as("korean"), { ...page, sort: "-sku", limit: 7, page: n });
        expect(down.data.map((r) => r.sku)).toEqual([...skus].reverse().slice((n - 1) * 7, n * 7));
      }
      const past = await listItems(as("korean"), { ...page, page: Math.ceil(total / 20) + 1 });
      expect(past.data).toEqual([]);
      const pastDown = await listItems(as("korean"), { ...page, sort: "-sku", page: Math.ceil(total / 20) + 1 });
      expect(pastDown.data).toEqual([]);

      // Filters still count exactly up to 1,000, whatever the table holds.
      const inactive = await listItems(as("korean"), { ...page, active: false });
      expect(inactive.count_exact).toBe(true);
      expect(inactive.count).toBe(await truth("not i.active"));
      const narrow = await listItems(as("korean"), { ...page, q: "BIG-0200" });
      expect(narrow.count_exact).toBe(true);
      expect(narrow.data.map((r) => r.sku)).toEqual(Array.from({ length: 10 }, (_, i) => `BIG-0200${i}`));
    });

    it("the sku marks follow every statement that adds, removes or renames items, and nothing else", async () => {
      await getDb().query(
        `insert into public.items (sku, name_ko, unit) select 'MRK-' || lpad(g::text, 4, '0'), '표시 ' || g, 'EA' from generate_series(1, 450) g`,
      );
      await expectMarksAgree();
      // Renames that move items across the order: to the front, to the end, within.
      await getDb().query("update public.items set sku = '0' || sku where sku in ('MRK-0007', 'MRK-0300')");
      await getDb().query("update public.items set sku = 'ZZ-' || sku where sku like 'MRK-01%'");
      await expectMarksAgree();
      await expectEveryPage(await skusInOrder(), 20);
      // A change of other columns only does not touch the marks.
      const before = await getDb().query<{ xmin: string }>("select xmin::text as xmin from public.item_sku_marks order by pos");
      await getDb().query("update public.items set name_ko = name_ko || ' (변경)' where sku like 'MRK-02%'");
      expect(await getDb().query<{ xmin: string }>("select xmin::text as xmin from public.item_sku_marks order by pos")).toEqual(before);
      // Removals: some in the middle, then down to fewer than one mark's worth.
      await getDb().query("delete from public.items where sku like 'MRK-03%'");
      await expectMarksAgree();
      await expectEveryPage(await skusInOrder(), 20);
      await getDb().query("delete from public.items where sku ~ '^(0|ZZ-)?MRK-'");
      await expectMarksAgree();
      const skus = await skusInOrder();
      const all = await listItems(as("korean"), { sort: "sku", page: 1, limit: 100 });
      expect(all.count).toBe(skus.length);
      expect(all.data.map((r) => r.sku)).toEqual(skus.slice(0, 100));
      // A change rolled back leaves the marks as they were.
      await getDb().rolledBack(async (q) => {
        await q(`insert into public.items (sku, name_ko, unit) select 'RB-' || g, '취소 ' || g, 'EA' from generate_series(1, 250) g`);
      });
      await expectMarksAgree();
    });

    it("the marks are the functions' own: no API role reads them or makes them again", async () => {
      for (const who of ["korean", "admin", "acme", "anon"] as const) {
        await withRole(getDb(), who, async (q) => {
          const read = await attempt(q, "select pos, sku from public.item_sku_marks");
          expect(read.ok).toBe(false);
          if (!read.ok) expect(read.error.code).toBe("42501");
          const build = await attempt(q, "select private.item_sku_marks_build()");
          expect(build.ok).toBe(false);
          if (!build.ok) expect(build.error.code).toBe("42501");
        });
      }
      // The owner (what the definer functions run as) reads them.
      expect((await getDb().query("select pos from public.item_sku_marks where pos = 0")).length).toBe(1);
    });
  });
}

describeListCountsContract(contractDb);
