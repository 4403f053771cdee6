import { describe, expect, it } from "vitest";
import { getTopMovers, getTrend } from "@/lib/data/dashboard";
import { as } from "../helpers/as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";
import { contractDb } from "../helpers/contract-db";

// The demo data (supabase/seed.sql) is a business with a past: 90 days of flows before the first
// start, dated relative to it, with stock and ledger agreeing at every step.

function describeDemoHistoryContract(makeDb: MakeDb) {
  describe("demo history", () => {
    const getDb = databaseForSuite(makeDb);
    const one = async <T>(sql: string) => (await getDb().query<T>(sql))[0]!;

    it("spreads committed flows over the last 90 days, none in the future, numbers dated by their year", async () => {
      const r = await one<{ oldest: number; newest: number; days: number; future: number; kinds: string[]; misnumbered: number }>(
        `select max((now() at time zone 'Asia/Seoul')::date - (committed_at at time zone 'Asia/Seoul')::date)::int as oldest,
                min((now() at time zone 'Asia/Seoul')::date - (committed_at at time zone 'Asia/Seoul')::date)::int as newest,
                count(distinct (committed_at at time zone 'Asia/Seoul')::date)::int as days,
                (select count(*) from public.flows where created_at > now())::int as future,
                array_agg(distinct kind order by kind) as kinds,
                count(*) filter (where number not like '%-' || extract(year from created_at at time zone 'Asia/Seoul')::int || '-%')::int as misnumbered
         from public.flows where status = 'committed'`,
      );
      expect(r.oldest).toBeGreaterThanOrEqual(89);
      expect(r.oldest).toBeLessThanOrEqual(92);
      expect(r.newest).toBeGreaterThanOrEqual(1);
      expect(r.days).toBeGreaterThanOrEqual(30);
      expect(r.future).toBe(0);
      expect(r.kinds).toEqual(["adjustment", "inbound", "outbound", "transfer"]);
      expect(r.misnumbered).toBe(0);
    });

    it("has the rhythm of the trade: Yiwu receives, Seoul receives from Yiwu, both customers are shipped to every month", async () => {
      const rows = await getDb().query<{ what: string; n: number }>(
        `select case
                  when f.kind = 'inbound' then 'inbound to ' || lt.code
                  when f.kind = 'transfer' then 'transfer ' || lf.code || ' to ' || lt.code
                  when f.kind = 'outbound' then 'outbound to ' || c.code || ' in month ' || ((now()::date - f.committed_at::date) / 30)
                  else f.kind end as what, count(*)::int as n
         from public.flows f
         left join public.locations lf on lf.id = f.from_location_id
         left join public.locations lt on lt.id = f.to_location_id
         left join public.customers c on c.id = f.customer_id
         where f.status = 'committed' group by 1`,
      );
      const n = (what: string) => rows.find((r) => r.what === what)?.n ?? 0;
      expect(n("inbound to CN-YIW")).toBeGreaterThanOrEqual(20);
      expect(n("transfer CN-YIW to KR-SEL")).toBeGreaterThanOrEqual(10);
      for (const customer of ["ACME", "BLUESKY"]) {
        for (const month of [0, 1, 2]) expect(n(`outbound to ${customer} in month ${month}`)).toBeGreaterThanOrEqual(2);
      }
    });

    it("keeps the ledger equal to the stock, each balance the running sum in time order, never negative", async () => {
      const r = await one<{ mismatched: number; unbalanced: number; negative: number; undated: number }>(
        `select
           (select count(*) from public.stocks s
             full join (select item_id, location_id, sum(delta) as total from public.stock_movements group by 1, 2) m
               on m.item_id = s.item_id and m.location_id = s.location_id
             where coalesce(s.on_hand, 0) <> coalesce(m.total, 0))::int as mismatched,
           (select count(*) from (
              select balance_after, sum(delta) over (partition by item_id, location_id order by created_at, id) as running
              from public.stock_movements) x where running <> balance_after)::int as unbalanced,
           (select count(*) from public.stock_movements where balance_after < 0)::int as negative,
           (select count(*) from public.stock_movements m join public.flows f on f.id = m.flow_id
             where m.created_at <> f.committed_at)::int as undated`,
      );
      expect(r).toEqual({ mismatched: 0, unbalanced: 0, negative: 0, undated: 0 });
    });

    it("ends with the opening stock: the history moves goods through, it does not change what is on hand", async () => {
      const rows = await getDb().query<{ sku: string; code: string; on_hand: string }>(
        `select i.sku, l.code, s.on_hand::int::text as on_hand from public.stocks s
         join public.items i on i.id = s.item_id join public.locations l on l.id = s.location_id
         where i.sku in ('LCD-ACME-27', 'LCD-CBL-HD', 'LCD-PKG-BOX', 'KEYB-BSKY-WL') order by 1, 2`,
      );
      expect(rows).toEqual([
        { sku: "KEYB-BSKY-WL", code: "CN-YIW", on_hand: "30" },
        { sku: "KEYB-BSKY-WL", code: "KR-SEL", on_hand: "10" },
        { sku: "LCD-ACME-27", code: "CN-YIW", on_hand: "20" },
        { sku: "LCD-ACME-27", code: "KR-SEL", on_hand: "20" },
        { sku: "LCD-CBL-HD", code: "CN-YIW", on_hand: "400" },
        { sku: "LCD-CBL-HD", code: "KR-SEL", on_hand: "400" },
        { sku: "LCD-PKG-BOX", code: "CN-YIW", on_hand: "200" },
        { sku: "LCD-PKG-BOX", code: "KR-SEL", on_hand: "95" },
      ]);
    });

    it("gives the dashboard a 30-day trend and top movers, with daily totals matching the flows", async () => {
      const trend = await getTrend(as("manager"), 30);
      expect(trend.filter((d) => d.inbound > 0).length).toBeGreaterThanOrEqual(4);
      expect(trend.filter((d) => d.outbound > 0).length).toBeGreaterThanOrEqual(6);
      const movers = await getTopMovers(as("manager"), 30, 10);
      expect(movers.length).toBe(10);
      const drift = await one<{ n: number }>(
        `select count(*)::int as n from (
           select (f.committed_at at time zone 'Asia/Seoul')::date as day, f.kind, fl.item_id, sum(abs(fl.qty)) as qty
           from public.flows f join private.all_flow_lines fl on fl.flow_id = f.id where f.status = 'committed' group by 1, 2, 3) t
         full join public.flow_daily_totals d using (day, kind, item_id)
         where t.qty is distinct from d.qty`,
      );
      expect(drift.n).toBe(0);
    });

    it("dates the flows' audit rows with their steps, and records no audit row for the dating", async () => {
      const r = await one<{ today: number; updates_without_status_change: number }>(
        `select count(*) filter (where a.created_at > now() - interval '1 hour')::int as today,
                count(*) filter (where a.action = 'update' and a.before ->> 'status' = a.after ->> 'status')::int as updates_without_status_change
         from public.audit_log a join public.flows f on a.row_id = f.id::text
         where a.table_name = 'flows' and f.status = 'committed'`,
      );
      expect(r).toEqual({ today: 0, updates_without_status_change: 0 });
    });
  });
}

describeDemoHistoryContract(contractDb);
