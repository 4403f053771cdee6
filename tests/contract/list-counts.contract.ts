import { describe, expect, it } from "vitest";
import { listItems } from "@/lib/data/items";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// items_list counts exactly while at most 1,000 items match, and answers the planner's estimate
// (never below 1,001) with count_exact = false beyond that (migration 20261207130300). Without a
// filter, a table whose statistics say 2,000 items or more is answered from them at once, and its
// sku pages are static statements (20261214000100): the pages must still be the sku order.

const page = { sort: "sku", page: 1, limit: 20 };

function describeListCountsContract(makeDb: MakeDb) {
  describe("item list counts", () => {
    const getDb = databaseForSuite(makeDb);
    const truth = async (where = "true") => Number((await getDb().query<{ n: string }>(`select count(*)::text as n from public.items i where ${where}`))[0].n);

    it("up to 1,000 matches: the exact count, count_exact true", async () => {
      const all = await listItems(as("korean"), page);
      expect(all.count_exact).toBe(true);
      expect(all.count).toBe(await truth());
      const active = await listItems(as("korean"), { ...page, active: true });
      expect(active.count_exact).toBe(true);
      expect(active.count).toBe(await truth("i.active"));
    });

    it("more than 1,000 matches: an estimate of at least 1,001, count_exact false; a narrower filter is exact again", async () => {
      await getDb().query(
        `insert into public.items (sku, name_ko, unit) select 'CNT-' || lpad(g::text, 5, '0'), '수량 시험 ' || g, 'EA' from generate_series(1, 1100) g`,
      );
      await getDb().query("analyze public.items");
      const total = await truth();
      expect(total).toBeGreaterThan(1000);

      const all = await listItems(as("korean"), page);
      expect(all.count_exact).toBe(false);
      expect(all.count).toBeGreaterThanOrEqual(1001);
      // From fresh statistics of a table this small the estimate is close to the truth.
      expect(Math.abs(all.count - total) / total).toBeLessThan(0.25);
      expect(all.data).toHaveLength(20);

      const searched = await listItems(as("korean"), { ...page, q: "CNT-" });
      expect(searched.count_exact).toBe(false);
      expect(searched.count).toBeGreaterThanOrEqual(1001);

      const narrow = await listItems(as("korean"), { ...page, q: "CNT-0100" });
      expect(narrow.count_exact).toBe(true);
      expect(narrow.count).toBe(10); // CNT-01000 … CNT-01009
      expect(narrow.data.map((r) => r.sku)).toEqual(Array.from({ length: 10 }, (_, i) => `CNT-0100${i}`));
    });

    it("2,000 items or more by the table's statistics: the estimate without a filter, the pages in sku order both ways", async () => {
      await getDb().query(
        `insert into public.items (sku, name_ko, unit, active) select 'BIG-' || lpad(g::text, 5, '0'), '대량 시험 ' || g, 'EA', g % 3 <> 0 from generate_series(1, 2100) g`,
      );
      await getDb().query("analyze public.items");
      const total = await truth();
      expect(total).toBeGreaterThanOrEqual(2100);
      const skus = (await getDb().query<{ sku: string }>("select sku from public.items order by sku")).map((r) => r.sku);

      const first = await listItems(as("korean"), page);
      expect(first.count_exact).toBe(false);
      expect(first.count).toBeGreaterThanOrEqual(1001);
      expect(Math.abs(first.count - total) / total).toBeLessThan(0.25);
      expect(first.data.map((r) => r.sku)).toEqual(skus.slice(0, 20));

      const later = await listItems(as("korean"), { ...page, page: 60 });
      expect(later.data.map((r) => r.sku)).toEqual(skus.slice(1180, 1200));
      const down = await listItems(as("korean"), { ...page, sort: "-sku", page: 7 });
      expect(down.data.map((r) => r.sku)).toEqual([...skus].reverse().slice(120, 140));
      const past = await listItems(as("korean"), { ...page, page: Math.ceil(total / 20) + 1 });
      expect(past.data).toEqual([]);

      // Filters still count exactly up to 1,000, whatever the table holds.
      const inactive = await listItems(as("korean"), { ...page, active: false });
      expect(inactive.count_exact).toBe(true);
      expect(inactive.count).toBe(await truth("not i.active"));
      const narrow = await listItems(as("korean"), { ...page, q: "BIG-0200" });
      expect(narrow.count_exact).toBe(true);
      expect(narrow.data.map((r) => r.sku)).toEqual(Array.from({ length: 10 }, (_, i) => `BIG-0200${i}`));
    });
  });
}

describeListCountsContract(contractDb);
