import pg from "pg";
import { describe, expect, it } from "vitest";
import { call } from "@/lib/db";
import { fnAttachmentsList } from "@/lib/data/attachments";
import { listFlows } from "@/lib/data/flows";
import { getUnreadCounts } from "@/lib/data/messages";
import { listNotifications, markNotificationsRead } from "@/lib/data/notifications";
import { listInspections } from "@/lib/data/inspections";
import { listItems } from "@/lib/data/items";
import { listStocks } from "@/lib/data/stocks";
import { as } from "../helpers/as";
import { CUSTOMERS, USERS } from "../helpers/demo";
import { itemMarksAndPlaces } from "../helpers/item-marks";
import { attempt, become, becomeSuperuser, roleAndClaims, sqlAs, withRole } from "../helpers/sql-as";
import { contractDb } from "../helpers/contract-db";
import type { PgTestDatabase } from "../helpers/pg";
import { databaseForSuite, type MakeDb, type Query } from "../helpers/test-db";

// items_list counts exactly while at most 1,000 items match a filter, and answers the planner's
// estimate (never below 1,001) with count_exact = false beyond that (migration 20261207130300).
// Without a filter the count is exact whatever the size, and the sku pages start from the sku
// marks (public.item_sku_marks, 20261221000100): the sku at every 100th place, made again by the
// items' statement triggers. The pages must be the sku order both ways, and the marks must follow
// every statement that adds, removes or renames items.

const page = { sort: "sku", page: 1, limit: 20 };

/** The keys of every page of a list, one page past the end included (it must add nothing). */
async function everyPage<T>(list: (page: number) => Promise<{ data: T[] }>, total: number, limit: number, key: (row: T) => string) {
  const seen: string[] = [];
  for (let n = 1; n <= Math.ceil(total / limit) + 1; n++) seen.push(...(await list(n)).data.map(key));
  return seen;
}
/** Sequential scans of the items table so far in the current transaction. */
const itemSeqScans = async (q: Query) =>
  (await q<{ n: number }>("select coalesce(sum(seq_scan), 0)::int as n from pg_stat_xact_user_tables where relid = 'public.items'::regclass"))[0].n;
const numbers = (rows: { number: string }[]) => rows.map((r) => r.number);
const numberOf = (row: { number: string }) => row.number;

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

    // 20261227000200: the count of the items from the last mark on had a generic plan (which
    // PL/pgSQL keeps after a few calls) that read the items in heap order until 100 matched:
    // every item when the last skus are stored last. (A catalogue of 10,000: on a few hundred
    // items a scan of the whole table is the cheaper plan for the page's ids too.)
    it("without a filter, the count reads the sku index from the last mark, not the whole table, under a generic plan too", async () => {
      const scans = await getDb().rolledBack(async (q) => {
        await q(`insert into public.items (sku, name_ko, unit) select 'ZZ-PLAN-' || lpad(g::text, 5, '0'), '계획 시험 ' || g, 'EA' from generate_series(1, 10000) g`);
        await q("analyze public.items");
        await q("set local plan_cache_mode = force_generic_plan");
        const total = (await q<{ n: number }>("select count(*)::int as n from public.items"))[0].n;
        const before = await itemSeqScans(q);
        await become(q, "korean");
        const counts: number[] = [];
        for (const n of [1, 2, 3]) {
          counts.push((await q<{ r: { count: number } }>("select public.items_list(p_sort => 'sku', p_page => $1, p_limit => 20) as r", [n]))[0].r.count);
        }
        await becomeSuperuser(q);
        return { seq: (await itemSeqScans(q)) - before, counts, total };
      });
      expect(scans.total).toBeGreaterThanOrEqual(10000);
      expect(scans.counts).toEqual([scans.total, scans.total, scans.total]);
      expect(scans.seq).toBe(0);
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
      // Since 20261225000300 a statement makes the marks again from the last mark before the
      // smallest sku it touched: single items added at the front, in the middle and at the end,
      // and several at once across the order; renames from the end to the front and back.
      for (const sku of ["000-FIRST", "MRK-0150-B", "ZZZZ-LAST"]) {
        await getDb().query("insert into public.items (sku, name_ko, unit) values ($1, '한 개', 'EA')", [sku]);
        await expectMarksAgree();
      }
      await getDb().query("insert into public.items (sku, name_ko, unit) values ('MRK-0001-A', '둘', 'EA'), ('ZZZZ-LAST-2', '둘', 'EA')");
      await expectMarksAgree();
      await getDb().query("update public.items set sku = '00-' || sku where sku = 'ZZZZ-LAST'");
      await expectMarksAgree();
      await getDb().query("update public.items set sku = 'ZZZZ-' || sku where sku = '000-FIRST'");
      await expectMarksAgree();
      await expectEveryPage(await skusInOrder(), 20);
      // A change of other columns only, and statements that touch no row, do not touch the marks.
      const before = await getDb().query<{ xmin: string }>("select xmin::text as xmin from public.item_sku_marks order by pos");
      await getDb().query("update public.items set name_ko = name_ko || ' (변경)' where sku like 'MRK-02%'");
      await getDb().query("insert into public.items (sku, name_ko, unit) select 'NONE-' || g, '없음', 'EA' from generate_series(1, 0) g");
      await getDb().query("delete from public.items where sku = 'NO-SUCH-SKU'");
      await getDb().query("update public.items set sku = 'X' || sku where sku = 'NO-SUCH-SKU'");
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
          for (const sql of ["select private.item_sku_marks_build()", "select private.item_sku_marks_build('A')"]) {
            const build = await attempt(q, sql);
            expect(build.ok, sql).toBe(false);
            if (!build.ok) expect(build.error.code, sql).toBe("42501");
          }
        });
      }
      // The owner (what the definer functions run as) reads them.
      expect((await getDb().query("select pos from public.item_sku_marks where pos = 0")).length).toBe(1);
    });
  });

  // stocks_list (20261221000200): without a filter its own statement, walking the items in sku
  // order; with filters a statement with only those filters. Exact up to 1,000 matching stock
  // rows, an estimate beyond with count_exact false; the pages in sku and warehouse order.
  describe("stock list counts", () => {
    const getDb = databaseForSuite(makeDb);
    // Every stock row as the list orders it: by sku, then warehouse code.
    const stockOrder = async () =>
      (
        await getDb().query<{ key: string }>(
          `select i.sku || '@' || l.code as key from public.stocks s join public.items i on i.id = s.item_id
           join public.locations l on l.id = s.location_id order by i.sku, l.code`,
        )
      ).map((r) => r.key);
    // A stock row's location_code is one of the loose object's extra keys (lib/data/stocks.ts).
    const keyOf = (r: { sku: string; [key: string]: unknown }) => `${r.sku}@${String(r.location_code)}`;
    const keys = (rows: { sku: string; [key: string]: unknown }[]) => rows.map(keyOf);

    it("up to 1,000 stock rows: the exact count, and the pages together are every row in sku and warehouse order", async () => {
      const all = await stockOrder();
      expect(all.length).toBeGreaterThan(20);
      const first = await listStocks(as("chinese"), { page: 1, limit: 7 });
      expect(first.count_exact).toBe(true);
      expect(first.count).toBe(all.length);
      expect(await everyPage((n) => listStocks(as("chinese"), { page: n, limit: 7 }), all.length, 7, keyOf)).toEqual(all);
    });

    it("more than 1,000 stock rows: an estimate of at least 1,001 with count_exact false; the pages still in order; a filter counts exactly", async () => {
      // Stock rows at zero, as a committed inbound and its full outbound would leave them (the
      // ledger's sum for them is zero too, so the stock invariant holds).
      await getDb().query(
        `with new_items as (
           insert into public.items (sku, name_ko, unit) select 'STK-' || lpad(g::text, 4, '0'), '재고 시험 ' || g, 'EA' from generate_series(1, 700) g
           returning id)
         insert into public.stocks (item_id, location_id, on_hand)
         select n.id, l.id, 0 from new_items n cross join public.locations l where l.code in ('KR-SEL', 'CN-YIW')`,
      );
      await getDb().query("analyze public.stocks");
      const all = await stockOrder();
      expect(all.length).toBeGreaterThan(1400);

      const first = await listStocks(as("korean"), { page: 1, limit: 20 });
      expect(first.count_exact).toBe(false);
      expect(first.count).toBeGreaterThanOrEqual(1001);
      // From fresh statistics of a table this small the estimate is close to the truth.
      expect(Math.abs(first.count - all.length) / all.length).toBeLessThan(0.25);
      expect(keys(first.data)).toEqual(all.slice(0, 20));
      for (const n of [2, 37, Math.ceil(all.length / 20)]) {
        expect(keys((await listStocks(as("korean"), { page: n, limit: 20 })).data)).toEqual(all.slice((n - 1) * 20, n * 20));
      }
      expect((await listStocks(as("korean"), { page: Math.ceil(all.length / 20) + 1, limit: 20 })).data).toEqual([]);

      // Filters: exact while at most 1,000 rows match, the pages in the same order.
      const seoul = (await getDb().query<{ id: string }>("select id from public.locations where code = 'KR-SEL'"))[0].id;
      const seoulRows = all.filter((k) => k.endsWith("@KR-SEL"));
      expect(seoulRows.length).toBeLessThanOrEqual(1000);
      for (const n of [1, 2, Math.ceil(seoulRows.length / 20)]) {
        const inSeoul = await listStocks(as("korean"), { location_id: seoul, page: n, limit: 20 });
        expect(inSeoul.count_exact).toBe(true);
        expect(inSeoul.count).toBe(seoulRows.length);
        expect(keys(inSeoul.data)).toEqual(seoulRows.slice((n - 1) * 20, n * 20));
      }
      const item = (await getDb().query<{ id: string }>("select id from public.items where sku = 'STK-0042'"))[0].id;
      const oneItem = await listStocks(as("korean"), { item_id: item, page: 1, limit: 20 });
      expect(oneItem.count).toBe(2);
      expect(keys(oneItem.data)).toEqual(["STK-0042@CN-YIW", "STK-0042@KR-SEL"]);
      const few = await listStocks(as("korean"), { q: "STK-004", page: 1, limit: 20 });
      expect(few.count_exact).toBe(true);
      expect(keys(few.data)).toEqual(all.filter((k) => k.startsWith("STK-004")));
      // More than 1,000 matches of a filter: the estimate, never below 1,001.
      const many = all.filter((k) => k.startsWith("STK-"));
      expect(many.length).toBeGreaterThan(1000);
      const searched = await listStocks(as("korean"), { q: "STK-", page: 3, limit: 20 });
      expect(searched.count_exact).toBe(false);
      expect(searched.count).toBeGreaterThanOrEqual(1001);
      expect(keys(searched.data)).toEqual(many.slice(40, 60));
    });

    it("customers get no stock list, filtered or not", async () => {
      await expect(listStocks(as("acme"), { page: 1, limit: 20 })).rejects.toMatchObject({ name: "AppError", code: "forbidden" });
      await expect(listStocks(as("acme"), { page: 1, limit: 20, low: true })).rejects.toMatchObject({ name: "AppError", code: "forbidden" });
    });
  });

  // flows_list (20261222000100): the page's flows first, newest first (created_at, then number,
  // both descending), without a filter by a statement of its own, with filters by one with only
  // those filters. Exact up to 1,000 matching flows, an estimate beyond with count_exact false.
  describe("flow list counts", () => {
    const getDb = databaseForSuite(makeDb);
    // The flows' numbers as the list orders them, with an optional filter on `f`.
    const flowOrder = async (where = "true", params: unknown[] = []) =>
      (
        await getDb().query<{ number: string }>(
          `select f.number from public.flows f where ${where} order by f.created_at desc, f.number desc`,
          params,
        )
      ).map((r) => r.number);
    const allPages = (query: Partial<Parameters<typeof listFlows>[1]>, total: number, limit: number) =>
      everyPage((n) => listFlows(as("manager"), { ...query, page: n, limit }), total, limit, numberOf);

    it("up to 1,000 flows: the exact count, and the pages together are every flow newest first, with or without filters", async () => {
      const all = await flowOrder();
      expect(all.length).toBeGreaterThan(10);
      const first = await listFlows(as("korean"), { page: 1, limit: 7 });
      expect(first.count_exact).toBe(true);
      expect(first.count).toBe(all.length);
      expect(await allPages({}, all.length, 7)).toEqual(all);

      const cases: [Parameters<typeof listFlows>[1], string, unknown[]][] = [
        [{ page: 1, limit: 5, kind: "outbound" }, "f.kind = 'outbound'", []],
        [{ page: 1, limit: 5, status: "committed" }, "f.status = 'committed'", []],
        [{ page: 1, limit: 5, kind: "outbound", status: "committed", customer_id: CUSTOMERS.acme }, "f.kind = 'outbound' and f.status = 'committed' and f.customer_id = $1", [CUSTOMERS.acme]],
        [{ page: 1, limit: 5, q: "IN-" }, "f.number ilike '%IN-%' or f.partner ilike '%IN-%' or f.reference ilike '%IN-%'", []],
      ];
      for (const [query, where, params] of cases) {
        const expected = await flowOrder(where, params);
        expect(expected.length, where).toBeGreaterThan(0);
        const listed = await listFlows(as("manager"), query);
        expect(listed.count, where).toBe(expected.length);
        expect(listed.count_exact).toBe(true);
        expect(await allPages(query, expected.length, query.limit), where).toEqual(expected);
      }
    });

    it("more than 1,000 flows: an estimate of at least 1,001 with count_exact false, the pages still in order; a narrow filter counts exactly", async () => {
      // Drafts with no lines, a minute apart, partners in Korean and Chinese.
      await getDb().query(
        `insert into public.flows (number, kind, status, to_location_id, partner, reference, created_at)
         select 'CNT-' || lpad(g::text, 5, '0'), 'inbound', 'draft', (select id from public.locations where code = 'KR-SEL'),
                case when g % 2 = 0 then '서울상사 ' || g else '义乌工厂 ' || g end, 'PO-' || g,
                now() - interval '30 days' + g * interval '1 minute'
         from generate_series(1, 1200) g`,
      );
      await getDb().query("analyze public.flows");
      const all = await flowOrder();
      expect(all.length).toBeGreaterThan(1200);

      const first = await listFlows(as("korean"), { page: 1, limit: 20 });
      expect(first.count_exact).toBe(false);
      expect(first.count).toBeGreaterThanOrEqual(1001);
      expect(Math.abs(first.count - all.length) / all.length).toBeLessThan(0.25);
      expect(numbers(first.data)).toEqual(all.slice(0, 20));
      const last = Math.ceil(all.length / 20);
      for (const n of [2, 33, last]) {
        expect(numbers((await listFlows(as("korean"), { page: n, limit: 20 })).data)).toEqual(all.slice((n - 1) * 20, n * 20));
      }
      expect((await listFlows(as("korean"), { page: last + 1, limit: 20 })).data).toEqual([]);

      // More than 1,000 drafts: an estimate; a search for one partner's name: exact.
      const drafts = await flowOrder("f.status = 'draft'");
      const drafted = await listFlows(as("korean"), { status: "draft", page: 4, limit: 20 });
      expect(drafted.count_exact).toBe(false);
      expect(drafted.count).toBeGreaterThanOrEqual(1001);
      expect(numbers(drafted.data)).toEqual(drafts.slice(60, 80));
      const yiwu = await flowOrder("f.partner like '义乌工厂 11%'");
      expect(yiwu.length).toBeGreaterThan(5);
      const searched = await listFlows(as("korean"), { q: "义乌工厂 11", page: 1, limit: 100 });
      expect(searched.count_exact).toBe(true);
      expect(searched.count).toBe(yiwu.length);
      expect(numbers(searched.data)).toEqual(yiwu);
      // A period: the flows created in it, exact.
      const from = new Date(Date.now() - 29 * 86_400_000).toISOString();
      const to = new Date(Date.now() - 29 * 86_400_000 + 100 * 60_000).toISOString();
      const period = await flowOrder("f.created_at >= $1 and f.created_at < $2", [from, to]);
      const listedPeriod = await listFlows(as("korean"), { from, to, page: 1, limit: 100 });
      expect(listedPeriod.count).toBe(period.length);
      expect(numbers(listedPeriod.data)).toEqual(period);
    });

    it("customers get no flow list, filtered or not", async () => {
      await expect(listFlows(as("acme"), { page: 1, limit: 20 })).rejects.toMatchObject({ name: "AppError", code: "forbidden" });
      await expect(listFlows(as("acme"), { page: 1, limit: 20, customer_id: CUSTOMERS.acme })).rejects.toMatchObject({
        name: "AppError",
        code: "forbidden",
      });
    });
  });

  // Searches read the item catalogue, the flow list and the inspection list through trigram
  // indexes on Postgres (20261222000200): GIN with pg_trgm's operator class, lossy and checked
  // again, so a search finds exactly what ILIKE finds, in any script, with short patterns and
  // with LIKE's wildcards taken literally. The embedded database reads the rows and must find the same.
  describe("searches through trigram indexes", () => {
    const getDb = databaseForSuite(makeDb);
    const found = (texts: (string | null)[], q: string) => texts.some((t) => t !== null && t.toLowerCase().includes(q.toLowerCase()));

    it("on Postgres the item, flow and inspection searches can be answered from their trigram indexes; the embedded database has none", async () => {
      const indexes = (
        await getDb().query<{ name: string }>(
          "select indexname as name from pg_indexes where schemaname = 'public' and indexname like '%search_trgm_idx' order by 1",
        )
      ).map((r) => r.name);
      if (getDb().engine === "pglite") {
        // PGlite does not load pg_trgm (it made pgcrypto's digest() fail now and then): no extension, no index.
        expect(indexes).toEqual([]);
        expect(await getDb().query("select 1 from pg_extension where extname = 'pg_trgm'")).toEqual([]);
        return;
      }
      expect(indexes).toEqual(["flows_search_trgm_idx", "inspections_search_trgm_idx", "items_search_trgm_idx"]);
      await getDb().rolledBack(async (q) => {
        // Only to show the index serves these conditions: the planner prefers the table while it is small.
        await q("set local enable_seqscan = off");
        const plan = async (sql: string) => (await q<{ "QUERY PLAN": string }>(`explain (costs off) ${sql}`)).map((r) => r["QUERY PLAN"]).join("\n");
        expect(await plan("select 1 from public.items i where i.sku ilike '%mon%' or i.name_ko ilike '%mon%' or i.name_zh ilike '%mon%' or i.name_en ilike '%mon%'")).toMatch(/items_search_trgm_idx/);
        expect(await plan("select 1 from public.flows f where f.number ilike '%OUT-20%' or f.partner ilike '%OUT-20%' or f.reference ilike '%OUT-20%'")).toMatch(/flows_search_trgm_idx/);
        expect(await plan("select 1 from public.inspection_applications i where i.number ilike '%INS%' or i.product ilike '%INS%' or i.factory_name ilike '%INS%'")).toMatch(/inspections_search_trgm_idx/);
      });
    });

    // Row level security checks its policies before any condition that is not leakproof, and ILIKE
    // is not: a security invoker statement can never search through the index. The inspection
    // list finds its page in a security definer helper (20261223000200), whose statements the
    // policies do not restrict. Seen here in the plans Postgres itself logs (auto_explain) for the
    // list as the staff and as a customer call it.
    it("on Postgres the inspection list's search reads the trigram index for the staff and for customers; a statement under the policies cannot", async () => {
      if (getDb().engine === "pglite") return; // no pg_trgm there (above)
      const client = new pg.Client({ connectionString: (getDb() as PgTestDatabase).url });
      const plans: string[] = [];
      client.on("notice", (n) => plans.push(n.message ?? ""));
      await client.connect();
      try {
        await client.query("load 'auto_explain'");
        await client.query("set auto_explain.log_min_duration = 0; set auto_explain.log_nested_statements = on; set auto_explain.log_level = notice");
        // Only to show the index can serve the search: the planner prefers the table while it is small.
        await client.query("set enable_seqscan = off");
        const as = async (who: "chinese" | "acme", sql: string) => {
          plans.length = 0;
          const { role, claims } = roleAndClaims(who);
          await client.query("begin");
          try {
            await client.query("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [role, JSON.stringify(claims)]);
            await client.query(sql);
          } finally {
            await client.query("rollback");
          }
          const search = plans.filter((p) => /ilike|~~\*/.test(p) && /inspection_applications/.test(p));
          expect(search.length, `${who}: ${sql}`).toBeGreaterThan(0);
          return search.join("\n");
        };
        for (const who of ["chinese", "acme"] as const) {
          const listed = await as(who, "select public.inspections_list(p_q => 'INS', p_limit => 5)");
          // A customer's search may as well start from its company's rows (customer_id, created_at).
          expect(listed, who).toMatch(who === "chinese" ? /inspections_search_trgm_idx/ : /inspections_search_trgm_idx|inspections_customer_idx/);
          expect(listed, who).not.toMatch(/Seq Scan on inspection_applications/);
          const direct = await as(who, "select 1 from public.inspection_applications i where i.number ilike '%INS%' or i.product ilike '%INS%' or i.factory_name ilike '%INS%'");
          expect(direct, who).toMatch(/Seq Scan on inspection_applications/);
          expect(direct, who).not.toMatch(/inspections_search_trgm_idx/);
        }
      } finally {
        await client.end();
      }
    });

    it("an item search finds what ILIKE finds, in Korean, Chinese and English, short or with wildcards", async () => {
      await getDb().query(
        `insert into public.items (sku, name_ko, name_zh, name_en, unit) values
           ('SRCH-PCT', '할인 50% 세트', '五折_套装', '50% off set', 'EA'),
           ('SRCH-UND', '밑줄_부품', '下划线零件', 'Under_score part', 'EA'),
           ('SRCH-MIX', '모니터 받침대', '显示器支架', 'Monitor STAND', 'EA')`,
      );
      const items = await getDb().query<{ sku: string; name_ko: string; name_zh: string | null; name_en: string | null }>(
        "select sku, name_ko, name_zh, name_en from public.items order by sku",
      );
      for (const term of ["모니터", "显示器", "monitor stand", "STAND", "터", "器", "50%", "_", "r_s", "e_s", "srch-", "no such thing"]) {
        const expected = items.filter((i) => found([i.sku, i.name_ko, i.name_zh, i.name_en], term)).map((i) => i.sku);
        const listed = await listItems(as("chinese"), { q: term, sort: "sku", page: 1, limit: 100 });
        expect(listed.data.map((r) => r.sku), term).toEqual(expected.slice(0, 100));
        if (expected.length <= 100) expect(listed.count, term).toBe(expected.length);
      }
    });

    // 20261229000200: a search of three characters or more reads the items through the trigram
    // index (the planner, pricing ILIKE as one operator, chose the whole table), and with at most
    // 1,000 matches the page sorts them all rather than walking the order's index.
    it("item and stock searches: every sort's pages are ILIKE's matches in order; on Postgres the item search scans no items table, and leaves the setting as it was", async () => {
      await getDb().query(
        `insert into public.items (sku, name_ko, name_zh, name_en, unit, unit_cost)
         select 'SORT-' || lpad(g::text, 3, '0'), '정렬 시험 ' || (g % 7), '排序 ' || g, 'Sort test ' || g, 'EA', (g * 37) % 101
         from generate_series(1, 45) g`,
      );
      // Their totals rows, as item_create makes them (the list reads its rows from them).
      await getDb().query("insert into public.item_stock_totals (item_id, on_hand) select id, 0 from public.items where sku like 'SORT-%'");
      const sorts: [string, string][] = [
        ["sku", "i.sku asc"],
        ["-sku", "i.sku desc"],
        ["name", "i.name_ko asc, i.sku asc"],
        ["-unit_cost", "i.unit_cost desc, i.sku asc"],
        ["-on_hand", "coalesce(t.on_hand, 0) desc, i.sku asc"],
      ];
      for (const [sort, order] of sorts) {
        const expected = (
          await getDb().query<{ id: string }>(
            `select i.id from public.items i left join public.item_stock_totals t on t.item_id = i.id
             where i.sku ilike '%sort-%' or i.name_ko ilike '%sort-%' or i.name_zh ilike '%sort-%' or i.name_en ilike '%sort-%' order by ${order}`,
          )
        ).map((r) => r.id);
        expect(expected.length).toBe(45);
        const pages = await everyPage((n) => listItems(as("chinese"), { q: "sort-", sort, page: n, limit: 10 }), 45, 10, (r) => r.id as string);
        expect(pages, sort).toEqual(expected);
      }
      const stockPage = await listStocks(as("chinese"), { q: "sort-", page: 1, limit: 10 });
      expect(stockPage.count).toBe(0); // no stock rows for the new items
      const seoul = (await getDb().query<{ id: string }>("select id from public.locations where code = 'KR-SEL'"))[0].id;
      await getDb().query("insert into public.stocks (item_id, location_id, on_hand) select id, $1, 3 from public.items where sku like 'SORT-%'", [seoul]);
      const stocked = await everyPage((n) => listStocks(as("chinese"), { q: "sort-", page: n, limit: 10 }), 45, 10, (r) => r.item_id as string);
      expect(stocked).toEqual((await getDb().query<{ id: string }>("select id from public.items where sku like 'SORT-%' order by sku")).map((r) => r.id));
      if (getDb().engine === "pglite") return; // no trigram index there: the rows are read as before
      const scans = await getDb().rolledBack(async (q) => {
        const before = await itemSeqScans(q);
        await become(q, "chinese");
        await q("select public.items_list(p_q => 'sort-', p_sort => '-on_hand', p_page => 2, p_limit => 10)");
        await q("select public.items_list(p_q => 'sort-', p_sort => 'sku', p_page => 1, p_limit => 10)");
        const setting = (await q<{ s: string }>("select current_setting('enable_seqscan') as s"))[0].s;
        await becomeSuperuser(q);
        const trigram = (await itemSeqScans(q)) - before;
        // A pattern of two characters has no trigram: the table is read, as before.
        await become(q, "chinese");
        await q("select public.items_list(p_q => 'so', p_page => 1, p_limit => 10)");
        await becomeSuperuser(q);
        return { setting, trigram, short: (await itemSeqScans(q)) - before - trigram };
      });
      expect(scans).toEqual({ setting: "on", trigram: 0, short: expect.any(Number) });
      expect(scans.short).toBeGreaterThan(0);
    });

    it("a flow search finds what ILIKE finds in number, partner and reference", async () => {
      await getDb().query(
        `insert into public.flows (number, kind, status, to_location_id, partner, reference, created_at)
         select 'SRCH-' || g, 'inbound', 'draft', (select id from public.locations where code = 'CN-YIW'),
                (array['义乌小商品城', '부산 물류', 'Ningbo_Port', null])[1 + g % 4], 'PO 100%-' || g, now() - g * interval '1 hour'
         from generate_series(1, 40) g`,
      );
      const flows = await getDb().query<{ number: string; partner: string | null; reference: string | null }>(
        "select number, partner, reference from public.flows order by created_at desc, number desc",
      );
      for (const term of ["义乌", "물류", "ningbo_port", "o_p", "100%", "%-1", "SRCH-3", "流", "nothing like it"]) {
        const expected = flows.filter((f) => found([f.number, f.partner, f.reference], term)).map((f) => f.number);
        const listed = await listFlows(as("korean"), { q: term, page: 1, limit: 100 });
        expect(listed.data.map((r) => r.number), term).toEqual(expected.slice(0, 100));
        expect(listed.count, term).toBe(expected.length);
      }
    });
  });

  // inspections_list and messages_unread (20261222000300): statements with only the filters
  // given, exact counts up to 1,000 inspections, an estimate beyond; each side's unread messages
  // from its own partial index. Both stay security invoker, so each caller still reads only what
  // row level security lets it.
  describe("file list counts", () => {
    const getDb = databaseForSuite(makeDb);
    type Who = "chinese" | "acme" | "bluesky";
    type Filters = { p_customer_id?: string; p_kind?: "report" | "photo" | "document" };
    const list = (who: Who, filters: Filters, page: number, limit: number) => call(fnAttachmentsList, { ...filters, p_page: page, p_limit: limit }, as(who));
    const fileOrder = async (where = "true", params: unknown[] = []) =>
      (await getDb().query<{ id: string }>(`select a.id from public.attachments a where ${where} order by a.created_at desc, a.id`, params)).map((r) => r.id);
    const idOf = (row: { id: string }) => row.id;

    it("up to 1,000: exact counts, every page in order, for the staff and each customer (its shared files only)", async () => {
      // A few files of each company and kind, some internal, some at the same time (the id decides).
      await getDb().query(
        `insert into public.attachments (customer_id, kind, file_name, content_type, size_bytes, storage_path, internal, created_at)
         select c, (array['report', 'photo', 'document'])[1 + g % 3], 'few-' || g || '.pdf', 'application/pdf', 1000,
                c::text || '/' || gen_random_uuid(), g % 4 = 1, now() - interval '60 days' + (g / 2) * interval '1 hour'
         from generate_series(1, 40) g
         cross join lateral (select case when g % 2 = 0 then $1::uuid else $2::uuid end as c) x`,
        [CUSTOMERS.acme, CUSTOMERS.bluesky],
      );
      const cases: [Who, Filters, string, unknown[]][] = [
        ["chinese", {}, "true", []],
        ["chinese", { p_customer_id: CUSTOMERS.bluesky }, "a.customer_id = $1", [CUSTOMERS.bluesky]],
        ["chinese", { p_kind: "photo" }, "a.kind = 'photo'", []],
        ["acme", {}, "a.customer_id = $1 and not a.internal", [CUSTOMERS.acme]],
        ["bluesky", { p_kind: "report" }, "a.customer_id = $1 and not a.internal and a.kind = 'report'", [CUSTOMERS.bluesky]],
      ];
      for (const [who, filters, where, params] of cases) {
        const expected = await fileOrder(where, params);
        expect(expected.length, `${who} ${where}`).toBeGreaterThan(0);
        const first = await list(who, filters, 1, 4);
        expect(first.count_exact, `${who} ${where}`).toBe(true);
        expect(first.count, `${who} ${where}`).toBe(expected.length);
        expect(await everyPage((n) => list(who, filters, n, 4), expected.length, 4, idOf), `${who} ${where}`).toEqual(expected);
      }
    });

    it("more than 1,000: an estimate with count_exact false, the pages in order; each customer still counts only what it may read", async () => {
      await getDb().query(
        `insert into public.attachments (customer_id, kind, file_name, content_type, size_bytes, storage_path, internal, created_at)
         select $1::uuid, case when g % 10 = 0 then 'report' else 'photo' end, 'photo-' || g || '.jpg', 'image/jpeg', 1000,
                $1::uuid::text || '/' || gen_random_uuid(), g % 4 = 0, now() - interval '30 days' + g * interval '1 minute'
         from generate_series(1, 1600) g`,
        [CUSTOMERS.acme],
      );
      await getDb().query("analyze public.attachments");
      const all = await fileOrder();
      const first = await list("chinese", {}, 1, 20);
      expect(first.count_exact).toBe(false);
      expect(first.count).toBeGreaterThanOrEqual(1001);
      expect(Math.abs(first.count - all.length) / all.length).toBeLessThan(0.25);
      const last = Math.ceil(all.length / 20);
      for (const n of [1, 2, 41, last]) expect((await list("chinese", {}, n, 20)).data.map(idOf)).toEqual(all.slice((n - 1) * 20, n * 20));

      // ACME reads its 1,200 shared files, not the 400 internal ones: an estimate of those.
      const acme = await fileOrder("a.customer_id = $1 and not a.internal", [CUSTOMERS.acme]);
      const acmePage = await list("acme", {}, 3, 20);
      expect(acmePage.count_exact).toBe(false);
      expect(Math.abs(acmePage.count - acme.length) / acme.length).toBeLessThan(0.25);
      expect(acmePage.data.map(idOf)).toEqual(acme.slice(40, 60));
      // A narrower filter counts exactly again; Blue Sky's few are exact and its own.
      const reports = await fileOrder("a.customer_id = $1 and not a.internal and a.kind = 'report'", [CUSTOMERS.acme]);
      const acmeReports = await list("acme", { p_kind: "report" }, 1, 100);
      expect(acmeReports.count_exact).toBe(true);
      expect(acmeReports.count).toBe(reports.length);
      const blue = await fileOrder("a.customer_id = $1 and not a.internal", [CUSTOMERS.bluesky]);
      const bluePage = await list("bluesky", {}, 1, 100);
      expect(bluePage.count_exact).toBe(true);
      expect(bluePage.data.map(idOf)).toEqual(blue);
    });

    // The page helper (20261225000100) is security definer: called directly, it applies the
    // policy's rule itself and returns ids and counts only.
    it("the page helper keeps the policy's rule itself: the staff every file, a customer its own shared ones, another company nothing; anon may not call it", async () => {
      type Page = { ids: string[]; total: number; exact: boolean };
      const page = (who: Who | "manager", customer: string | null, actor: string | null = null) =>
        sqlAs<{ ids: string[]; total: string; exact: boolean }>(
          getDb(), who, "select ids, total::text, exact from private.attachment_page(null, $1, null, 1, 20, $2)", [customer, actor],
        ).then(([r]): Page => ({ ids: r.ids, total: Number(r.total), exact: r.exact }));
      await getDb().query(
        `insert into public.attachments (customer_id, kind, file_name, content_type, size_bytes, storage_path, internal)
         select $1::uuid, 'photo', 'many-' || g || '.jpg', 'image/jpeg', 1000, $1::uuid::text || '/' || gen_random_uuid(), g % 2 = 0
         from generate_series(1, 6000) g`,
        [CUSTOMERS.acme],
      );
      await getDb().query("analyze public.attachments");
      const near = (n: number, truth: number) => Math.abs(n - truth) / truth < 0.25;
      // The staff: every file of the company named, internal ones included.
      const acmeAll = await fileOrder("a.customer_id = $1", [CUSTOMERS.acme]);
      const staff = await page("manager", CUSTOMERS.acme);
      expect(staff.exact).toBe(false);
      expect(near(staff.total, acmeAll.length)).toBe(true);
      expect(staff.ids).toEqual(acmeAll.slice(0, 20));
      // ACME: its shared files only, named or not, whoever it names as the actor.
      const acmeShared = await fileOrder("a.customer_id = $1 and not a.internal", [CUSTOMERS.acme]);
      const acme = await page("acme", null);
      expect(near(acme.total, acmeShared.length)).toBe(true);
      expect(acme.ids).toEqual(acmeShared.slice(0, 20));
      expect(await page("acme", CUSTOMERS.acme)).toEqual(acme);
      expect(await page("acme", null, USERS.manager.id)).toEqual(acme);
      // Another company named: nothing of it, not even a figure.
      expect(await page("acme", CUSTOMERS.bluesky)).toEqual({ ids: [], total: 0, exact: true });
      expect(await page("bluesky", CUSTOMERS.acme)).toEqual({ ids: [], total: 0, exact: true });
      const blue = await fileOrder("a.customer_id = $1 and not a.internal", [CUSTOMERS.bluesky]);
      expect(await page("bluesky", null)).toEqual({ ids: blue.slice(0, 20), total: blue.length, exact: true });
      await expect(sqlAs(getDb(), "anon", "select private.attachment_page(null, null, null, 1, 20, null)")).rejects.toMatchObject({ code: "42501" });
    });
  });

  describe("inspection list counts and unread messages", () => {
    const getDb = databaseForSuite(makeDb);
    type Query = Parameters<typeof listInspections>[1];
    const inspectionOrder = async (where = "true", params: unknown[] = []) =>
      (
        await getDb().query<{ number: string }>(
          `select i.number from public.inspection_applications i join public.customers c on c.id = i.customer_id
           where ${where} order by i.created_at desc, i.number desc`,
          params,
        )
      ).map((r) => r.number);
    const allPages = (who: "chinese" | "acme" | "bluesky", query: Partial<Query>, total: number, limit: number) =>
      everyPage((n) => listInspections(as(who), { ...query, page: n, limit }), total, limit, numberOf);

    it("up to 1,000: exact counts, every page in order, for the staff and for each customer, with each filter", async () => {
      const cases: ["chinese" | "acme" | "bluesky", Partial<Query>, string, unknown[]][] = [
        ["chinese", {}, "true", []],
        ["chinese", { status: "submitted" }, "i.status = 'submitted'", []],
        ["chinese", { open: true }, "i.status not in ('completed', 'cancelled')", []],
        ["chinese", { open: false }, "i.status in ('completed', 'cancelled')", []],
        ["chinese", { customer_id: CUSTOMERS.bluesky }, "i.customer_id = $1", [CUSTOMERS.bluesky]],
        // The staff find an inspection by its customer's name too.
        ["chinese", { q: "blue sky" }, "c.name ilike '%blue sky%' or i.number ilike '%blue sky%' or i.product ilike '%blue sky%' or i.factory_name ilike '%blue sky%'", []],
        ["acme", {}, "i.customer_id = $1", [CUSTOMERS.acme]],
        ["bluesky", { open: true }, "i.customer_id = $1 and i.status not in ('completed', 'cancelled')", [CUSTOMERS.bluesky]],
      ];
      for (const [who, query, where, params] of cases) {
        const expected = await inspectionOrder(where, params);
        expect(expected.length, `${who} ${where}`).toBeGreaterThan(0);
        const first = await listInspections(as(who), { ...query, page: 1, limit: 3 });
        expect(first.count_exact).toBe(true);
        expect(first.count, `${who} ${where}`).toBe(expected.length);
        expect(first.data.every((r) => !("timeline" in r))).toBe(true);
        expect(await allPages(who, query, expected.length, 3), `${who} ${where}`).toEqual(expected);
      }
      // A customer searching for the other company's name finds none of its inspections.
      expect((await listInspections(as("acme"), { q: "Blue Sky", page: 1, limit: 100 })).data.every((r) => r.customer_id === CUSTOMERS.acme)).toBe(true);
    });

    it("more than 1,000: an estimate with count_exact false, the pages in order; each customer still sees only its own", async () => {
      await getDb().query(
        `insert into public.inspection_applications (number, customer_id, product, factory_name, inspection_type, requested_date, status, created_at)
         select 'INS-CNT-' || lpad(g::text, 5, '0'), $1, case when g % 100 = 7 then '保温杯 ' || g else 'Cable ' || g end,
                '义乌工厂 ' || (g % 30), 'pre_shipment', current_date, 'completed', now() - interval '90 days' + g * interval '1 minute'
         from generate_series(1, 1100) g`,
        [CUSTOMERS.acme],
      );
      await getDb().query("analyze public.inspection_applications");
      const all = await inspectionOrder();
      const first = await listInspections(as("manager"), { page: 1, limit: 20 });
      expect(first.count_exact).toBe(false);
      expect(first.count).toBeGreaterThanOrEqual(1001);
      expect(Math.abs(first.count - all.length) / all.length).toBeLessThan(0.25);
      const last = Math.ceil(all.length / 20);
      for (const n of [1, 2, 30, last]) {
        expect(numbers((await listInspections(as("manager"), { page: n, limit: 20 })).data)).toEqual(all.slice((n - 1) * 20, n * 20));
      }
      const acme = await inspectionOrder("i.customer_id = $1", [CUSTOMERS.acme]);
      const acmePage = await listInspections(as("acme"), { page: 3, limit: 20 });
      expect(acmePage.count_exact).toBe(false);
      expect(numbers(acmePage.data)).toEqual(acme.slice(40, 60));
      const blue = await inspectionOrder("i.customer_id = $1", [CUSTOMERS.bluesky]);
      const bluePage = await listInspections(as("bluesky"), { page: 1, limit: 100 });
      expect(bluePage.count_exact).toBe(true);
      expect(bluePage.count).toBe(blue.length);
      expect(bluePage.data.every((r) => r.customer_id === CUSTOMERS.bluesky)).toBe(true);
      // A search in Chinese among them: exact, in order, for the staff and for ACME; none for Blue Sky.
      const cups = await inspectionOrder("i.product like '保温杯%'");
      expect(cups.length).toBe(11);
      for (const who of ["chinese", "acme"] as const) {
        const found = await listInspections(as(who), { q: "保温杯", page: 1, limit: 100 });
        expect(found.count_exact).toBe(true);
        expect(numbers(found.data)).toEqual(cups);
      }
      expect((await listInspections(as("bluesky"), { q: "保温杯", page: 1, limit: 100 })).count).toBe(0);
    });

    it("unread counts: the staff count the customers' unread messages, each customer its own company's", async () => {
      // Staff replies ACME has not read, and customer messages the staff have not, on a few inspections.
      await getDb().query(
        `insert into public.messages (inspection_id, customer_id, from_staff, body)
         select i.id, i.customer_id, g % 2 = 0, 'unread ' || g
         from (select id, customer_id from public.inspection_applications order by number limit 6) i cross join generate_series(1, 3) g`,
      );
      const truth = async (where: string, params: unknown[] = []) =>
        (
          await getDb().query<{ inspection_id: string; n: number }>(
            `select m.inspection_id, count(*)::int as n from public.messages m where ${where} group by 1 order by 1`,
            params,
          )
        ).map((r) => ({ inspection_id: r.inspection_id, unread: r.n }));
      const byId = (rows: { inspection_id: string; unread: number }[]) =>
        [...rows].map((r) => ({ inspection_id: r.inspection_id, unread: r.unread })).sort((a, b) => (a.inspection_id < b.inspection_id ? -1 : 1));
      const staffTruth = await truth("not m.from_staff and m.read_by_staff_at is null");
      const staff = await getUnreadCounts(as("korean"));
      expect(byId(staff.inspections)).toEqual(byId(staffTruth));
      expect(staff.total).toBe(staffTruth.reduce((a, r) => a + r.unread, 0));
      for (const who of ["acme", "bluesky"] as const) {
        const own = await truth("m.from_staff and m.read_by_customer_at is null and m.customer_id = $1", [CUSTOMERS[who]]);
        const counted = await getUnreadCounts(as(who));
        expect(byId(counted.inspections), who).toEqual(byId(own));
        expect(counted.total).toBe(own.reduce((a, r) => a + r.unread, 0));
      }
      expect((await getUnreadCounts(as("acme"))).total).toBeGreaterThan(0);
    });

    it("unread threads are newest first, and threads whose latest messages share a time by number, newest first", async () => {
      await getDb().query(
        `insert into public.messages (inspection_id, customer_id, from_staff, body, created_at)
         select i.id, i.customer_id, false, 'same time', timestamptz '2030-01-01 00:00:00+00'
         from (select id, customer_id from public.inspection_applications where customer_id = $1 order by number limit 3) i`,
        [CUSTOMERS.acme],
      );
      await getDb().query(
        `insert into public.messages (inspection_id, customer_id, from_staff, body, created_at)
         select i.id, i.customer_id, true, 'same time', timestamptz '2030-01-01 00:00:00+00'
         from (select id, customer_id from public.inspection_applications where customer_id = $1 order by number limit 3) i`,
        [CUSTOMERS.acme],
      );
      const tied = (await getDb().query<{ number: string }>(
        "select number from public.inspection_applications where customer_id = $1 order by number limit 3", [CUSTOMERS.acme],
      )).map((r) => r.number).reverse();
      for (const who of ["korean", "acme"] as const) {
        const numbers = (await getUnreadCounts(as(who))).inspections.map((r) => r.number);
        expect(numbers.slice(0, 3), who).toEqual(tied);
      }
      // Blue Sky sees none of ACME's threads.
      expect((await getUnreadCounts(as("bluesky"))).inspections.some((r) => tied.includes(r.number))).toBe(false);
    });
  });

  // notifications_list and notifications_mark_read (20261225000200): a person's unread count is
  // the notices less their read marks, not an anti-join over every notice.
  describe("notification counts", () => {
    const getDb = databaseForSuite(makeDb);
    const USER = { manager: USERS.manager.id, korean: USERS.korean.id } as const;
    const unreadOf = async (who: keyof typeof USER) =>
      (
        await getDb().query<{ id: string }>(
          `select n.id from public.notifications n
           where not exists (select 1 from public.notification_reads r where r.notification_id = n.id and r.user_id = $1)
           order by n.created_at desc, n.id`,
          [USER[who]],
        )
      ).map((r) => r.id);
    const allIds = async () => (await getDb().query<{ id: string }>("select id from public.notifications order by created_at desc, id")).map((r) => r.id);
    const idOf = (row: { id: string }) => row.id;

    it("counts and pages what each person has not read, whatever the others read; refuses customers", async () => {
      // Notices of the same time too (the id decides), and some the manager has read.
      await getDb().query(
        `insert into public.notifications (kind, item_id, payload, created_at)
         select 'low_stock', (select id from public.items order by sku limit 1), '{}'::jsonb, now() - (g / 3) * interval '1 minute'
         from generate_series(1, 45) g`,
      );
      const all = await allIds();
      await markNotificationsRead(as("manager"), { ids: all.filter((_, i) => i % 4 === 1) });
      for (const who of ["manager", "korean"] as const) {
        const unread = await unreadOf(who);
        const first = await listNotifications(as(who), { unread: true, page: 1, limit: 10 });
        expect(first.unread, who).toBe(unread.length);
        expect(first.count, who).toBe(unread.length);
        const pages = [];
        for (let n = 1; n <= Math.ceil(unread.length / 10) + 1; n++) pages.push(...(await listNotifications(as(who), { unread: true, page: n, limit: 10 })).data.map(idOf));
        expect(pages, who).toEqual(unread);
        const everything = await listNotifications(as(who), { page: 2, limit: 10 });
        expect(everything.count, who).toBe(all.length);
        expect(everything.unread, who).toBe(unread.length);
        expect(everything.data.map(idOf), who).toEqual(all.slice(10, 20));
      }
      expect((await unreadOf("manager")).length).toBeLessThan((await unreadOf("korean")).length);

      // Marking: the ones named, once; then every one left; then none left to mark.
      const some = (await unreadOf("manager")).slice(0, 3);
      expect(await markNotificationsRead(as("manager"), { ids: some })).toEqual({ marked: 3, unread: (await unreadOf("manager")).length });
      expect(await markNotificationsRead(as("manager"), { ids: some })).toEqual({ marked: 0, unread: (await unreadOf("manager")).length });
      const left = (await unreadOf("manager")).length;
      expect(left).toBeGreaterThan(0);
      expect(await markNotificationsRead(as("manager"), {})).toEqual({ marked: left, unread: 0 });
      expect(await markNotificationsRead(as("manager"), {})).toEqual({ marked: 0, unread: 0 });
      expect(await listNotifications(as("manager"), { unread: true, page: 1, limit: 10 })).toMatchObject({ data: [], count: 0, unread: 0 });
      // A notice removed takes its read marks with it: the counts stay true.
      await getDb().query("delete from public.notifications where id = $1", [all[0]]);
      expect(await listNotifications(as("manager"), { page: 1, limit: 10 })).toMatchObject({ count: all.length - 1, unread: 0 });
      expect((await listNotifications(as("korean"), { unread: true, page: 1, limit: 10 })).unread).toBe((await unreadOf("korean")).length);

      // Denied: customers; and the counting helper answers for any user, so no API role may call it.
      await expect(listNotifications(as("acme"), { unread: true, page: 1, limit: 10 })).rejects.toMatchObject({ code: "forbidden" });
      for (const who of ["korean", "acme", "anon"] as const) {
        await expect(sqlAs(getDb(), who, "select * from private.notification_counts($1)", [USER.manager])).rejects.toMatchObject({ code: "42501" });
      }
    });
  });
}

describeListCountsContract(contractDb);
