import { beforeAll, describe, expect, it } from "vitest";
import { contractDb } from "../helpers/contract-db";
import { createUser, type TestUser } from "../helpers/fixtures";
import { CALLERS, callAs, callerWho, expectedOutcome, expectServiceRoleActs, outcome, rpc, STAFF, type FunctionSpec } from "../helpers/rpc-as";
import { become, becomeSuperuser, sqlAs, withRole } from "../helpers/sql-as";
import { databaseForSuite, type Query } from "../helpers/test-db";

// The staff dashboard's database contract (20261122000600, dashboard_kpis, dashboard_trend and
// dashboard_top_movers as redefined in 20261122000900): staff only, for every role both ways; the
// bounds of each argument; and that each widget follows a flow through its workflow.

type Kpis = { active_skus: number; stock_value: number; stock_units: number; low_stock: number; pending_approval: number; awaiting_commit: number; open_inspections: number };
type Day = { day: string; inbound: number; outbound: number };

const FUNCTIONS: FunctionSpec<null>[] = [
  { fn: "dashboard_kpis", allowed: STAFF, args: () => ({}) },
  { fn: "dashboard_trend", allowed: STAFF, args: () => ({ p_days: 30 }) },
  { fn: "dashboard_stock_breakdown", allowed: STAFF, args: () => ({}) },
  { fn: "dashboard_top_movers", allowed: STAFF, args: () => ({ p_days: 30, p_limit: 10 }) },
  { fn: "dashboard_recent_activity", allowed: STAFF, args: () => ({ p_limit: 10 }) },
];

async function ids(q: Query) {
  const [row] = await q<{ sel: string; item: string; cost: string }>(
    "select (select id from public.locations where code = 'KR-SEL') as sel, i.id as item, i.unit_cost as cost from public.items i where i.sku = 'LCD-24-FHD'",
  );
  return row;
}

// Today in Seoul, the day the daily totals are kept by.
const TODAY = "(now() at time zone 'Asia/Seoul')::date";

// Adds qty to an item's daily total of a kind, `back` days before today.
const put = (q: Query, back: number, kind: string, item: string, qty: number) =>
  q(
    `insert into public.flow_daily_totals as t (day, kind, item_id, qty, lines) values (${TODAY} - $1::int, $2, $3, $4, 1)
     on conflict (day, kind, item_id) do update set qty = t.qty + excluded.qty, lines = t.lines + 1`,
    [back, kind, item, qty],
  );

const num = (k: Kpis) => Object.fromEntries(Object.entries(k).map(([key, v]) => [key, Number(v)])) as Kpis;

describe("dashboard: database contract", () => {
  const getDb = databaseForSuite(contractDb);
  let deactivated: TestUser;

  beforeAll(async () => {
    deactivated = await createUser(getDb().query, { role: "manager", active: false });
  });

  it("no dashboard function is executable by anon or PUBLIC", async () => {
    const rows = await getDb().query(
      `select p.oid::regprocedure::text from pg_proc p cross join (values ('anon'), ('public')) r (rolname)
       where p.proname like 'dashboard%' and has_function_privilege(r.rolname, p.oid, 'EXECUTE')`,
    );
    expect(rows).toEqual([]);
  });

  describe.each(FUNCTIONS)("$fn", (spec) => {
    it.each(CALLERS)("%s", async (caller) => {
      expect(await callAs(getDb(), spec, null, callerWho(caller, deactivated))).toBe(expectedOutcome(caller, spec.allowed));
    });

    it("the service role acts only for the actor it names", async () => {
      await expectServiceRoleActs(getDb(), spec, null);
    });
  });

  it.each([
    { fn: "dashboard_trend", args: { p_days: 0 }, expected: "bad_request" },
    { fn: "dashboard_trend", args: { p_days: 93 }, expected: "bad_request" },
    { fn: "dashboard_trend", args: { p_days: 92 }, expected: "ok" },
    { fn: "dashboard_top_movers", args: { p_days: 0, p_limit: 10 }, expected: "bad_request" },
    { fn: "dashboard_top_movers", args: { p_days: 30, p_limit: 51 }, expected: "bad_request" },
    { fn: "dashboard_top_movers", args: { p_days: 93, p_limit: 10 }, expected: "bad_request" },
    { fn: "dashboard_top_movers", args: { p_days: 92, p_limit: 50 }, expected: "ok" },
    { fn: "dashboard_recent_activity", args: { p_limit: 0 }, expected: "bad_request" },
    { fn: "dashboard_recent_activity", args: { p_limit: 51 }, expected: "bad_request" },
    { fn: "dashboard_recent_activity", args: { p_limit: 50 }, expected: "ok" },
  ])("$fn with $args: $expected", async ({ fn, args, expected }) => {
    await withRole(getDb(), "chinese", async (q) => expect(await outcome(q, fn, args)).toBe(expected));
  });

  it("the trend has one zero-filled row per day, ending today in Seoul", async () => {
    await withRole(getDb(), "korean", async (q) => {
      const days = await rpc<Day[]>(q, "dashboard_trend", { p_days: 7 });
      expect(days).toHaveLength(7);
      const [{ today }] = await q<{ today: string }>("select to_char((now() at time zone 'Asia/Seoul')::date, 'YYYY-MM-DD') as today");
      expect(days[6].day).toBe(today);
    });
  });

  it("each widget follows a flow: submitted, approved, committed", async () => {
    await getDb().rolledBack(async (q) => {
      const { sel, item, cost } = await ids(q);
      await become(q, "korean");
      const before = num(await rpc<Kpis>(q, "dashboard_kpis"));
      const trendBefore = (await rpc<Day[]>(q, "dashboard_trend", { p_days: 1 }))[0];
      const breakdownBefore = await rpc<{ by_location: { location_id: string; units: number }[] }>(q, "dashboard_stock_breakdown");

      const flow = await rpc<{ id: string; number: string }>(q, "flow_create", { p_kind: "inbound", p_lines: [{ item_id: item, qty: 5 }], p_to_location_id: sel });
      await rpc(q, "flow_submit", { p_id: flow.id });
      expect(num(await rpc<Kpis>(q, "dashboard_kpis")).pending_approval).toBe(before.pending_approval + 1);

      await become(q, "manager");
      await rpc(q, "flow_approve", { p_id: flow.id });
      const approved = num(await rpc<Kpis>(q, "dashboard_kpis"));
      expect([approved.pending_approval, approved.awaiting_commit]).toEqual([before.pending_approval, before.awaiting_commit + 1]);

      await rpc(q, "flow_commit", { p_id: flow.id });
      const after = num(await rpc<Kpis>(q, "dashboard_kpis"));
      expect(after).toMatchObject({
        awaiting_commit: before.awaiting_commit,
        stock_units: before.stock_units + 5,
        stock_value: before.stock_value + 5 * Number(cost),
        active_skus: before.active_skus,
      });
      const trendAfter = (await rpc<Day[]>(q, "dashboard_trend", { p_days: 1 }))[0];
      expect(Number(trendAfter.inbound)).toBe(Number(trendBefore.inbound) + 5);
      expect(Number(trendAfter.outbound)).toBe(Number(trendBefore.outbound));

      const movers = await rpc<{ item_id: string; inbound: number }[]>(q, "dashboard_top_movers", { p_days: 1, p_limit: 50 });
      expect(movers.find((m) => m.item_id === item)).toMatchObject({ item_id: item });

      const activity = await rpc<{ flow_id: string; status: string; by: string }[]>(q, "dashboard_recent_activity", { p_limit: 1 });
      expect(activity).toEqual([expect.objectContaining({ flow_id: flow.id, status: "committed" })]);

      const breakdownAfter = await rpc<{ by_location: { location_id: string; units: number }[] }>(q, "dashboard_stock_breakdown");
      const unitsAt = (b: typeof breakdownAfter) => Number(b.by_location.find((l) => l.location_id === sel)?.units ?? 0);
      expect(unitsAt(breakdownAfter)).toBe(unitsAt(breakdownBefore) + 5);

      await becomeSuperuser(q);
      const [{ units }] = await q<{ units: string }>("select sum(on_hand) as units from public.stocks where location_id = $1", [sel]);
      expect(unitsAt(breakdownAfter)).toBe(Number(units));
    });
  });

  // 20261225000400: ranked by one sum per item, then the two kinds read for the items kept.
  it("the top movers are the items that moved most in the period, with their inbound and outbound, as SQL of its own counts them", async () => {
    const { movers, truth } = await getDb().rolledBack(async (q) => {
      // A spread of totals over the period and before it, some tied, transfers and adjustments too.
      await q(
        `insert into public.flow_daily_totals as t (day, kind, item_id, qty, lines)
         select x.day, x.kind, x.item_id, sum(x.qty), count(*)
         from (select (now() at time zone 'Asia/Seoul')::date - (g % 40) as day, (array['inbound', 'outbound', 'transfer', 'adjustment'])[1 + g % 4] as kind,
                      i.id as item_id, 1 + (g * 7) % 50 as qty
               from generate_series(1, 400) g
               join lateral (select id from public.items order by sku offset (g % 30) limit 1) i on true) x
         group by x.day, x.kind, x.item_id
         on conflict (day, kind, item_id) do update set qty = t.qty + excluded.qty`,
      );
      await become(q, "manager");
      const movers = await rpc<{ item_id: string; sku: string; inbound: number | null; outbound: number | null; moved: number }[]>(
        q, "dashboard_top_movers", { p_days: 30, p_limit: 12 },
      );
      await becomeSuperuser(q);
      const truth = await q<{ item_id: string; sku: string; inbound: string | null; outbound: string | null; moved: string }>(
        `select t.item_id, i.sku, sum(t.qty) filter (where t.kind = 'inbound') as inbound,
                sum(t.qty) filter (where t.kind = 'outbound') as outbound, sum(t.qty) as moved
         from public.flow_daily_totals t join public.items i on i.id = t.item_id
         where t.day >= (now() at time zone 'Asia/Seoul')::date - 29
         group by t.item_id, i.sku order by sum(t.qty) desc, i.sku`,
      );
      return { movers, truth };
    });
    expect(truth.length).toBeGreaterThan(12);
    expect(movers).toHaveLength(12);
    // The totals are the 12 largest; each item's figures are its own; items of one total by sku.
    expect(movers.map((m) => Number(m.moved))).toEqual(truth.slice(0, 12).map((t) => Number(t.moved)));
    const byItem = new Map(truth.map((t) => [t.item_id, t]));
    // The function answers numbers, the SQL numeric text: both as numbers, a kind with no rows null.
    const figures = (r: { sku: string; inbound: number | string | null; outbound: number | string | null; moved: number | string }) =>
      [r.sku, r.inbound === null ? null : Number(r.inbound), r.outbound === null ? null : Number(r.outbound), Number(r.moved)];
    for (const m of movers) expect(figures(m), m.sku).toEqual(figures(byItem.get(m.item_id)!));
    for (let k = 1; k < movers.length; k++) {
      if (Number(movers[k].moved) === Number(movers[k - 1].moved)) expect(movers[k - 1].sku < movers[k].sku).toBe(true);
    }
    expect(new Set(movers.map((m) => m.item_id)).size).toBe(12);
  });

  it("open inspections count every application neither completed nor cancelled", async () => {
    await withRole(getDb(), "admin", async (q) => {
      const kpis = num(await rpc<Kpis>(q, "dashboard_kpis"));
      await becomeSuperuser(q);
      const [{ n }] = await q<{ n: number }>("select count(*)::int as n from public.inspection_applications where status not in ('completed', 'cancelled')");
      expect(kpis.open_inspections).toBe(n);
      expect(n).toBeGreaterThan(0);
    });
  });

  // 20261230000100: a closed day's sums are kept (flow_closed_day_totals), yesterday and today are
  // read live, and a write into a closed day clears its sums.
  describe("the trend's closed days", () => {
    // What the trend must show, from the daily totals themselves.
    const truth = (q: Query, days: number) =>
      q<{ day: string; inbound: string; outbound: string }>(
        `select to_char(d.day, 'YYYY-MM-DD') as day,
                coalesce(sum(t.qty) filter (where t.kind = 'inbound'), 0) as inbound,
                coalesce(sum(t.qty) filter (where t.kind = 'outbound'), 0) as outbound
         from (select generate_series(${TODAY} - ($1::int - 1), ${TODAY}, interval '1 day')::date as day) d
         left join public.flow_daily_totals t on t.day = d.day
         group by d.day order by d.day`,
        [days],
      );
    const asNumbers = (rows: { day: string; inbound: number | string; outbound: number | string }[]) =>
      rows.map((r) => [r.day, Number(r.inbound), Number(r.outbound)]);
    // The kept days, as days back from today.
    const kept = async (q: Query) =>
      (await q<{ back: number }>(`select distinct (${TODAY} - day)::int as back from public.flow_closed_day_totals order by 1`)).map((r) => r.back);
    it("sums each closed day once, reads yesterday and today live, and makes a closed day again after a write into it", async () => {
      const steps = await getDb().rolledBack(async (q) => {
        const { item } = await ids(q);
        const [{ other }] = await q<{ other: string }>("select id as other from public.items where id <> $1 order by sku limit 1", [item]);
        await q("delete from public.flow_daily_totals");
        for (const back of [0, 1, 2, 3, 10, 45, 91]) await put(q, back, "inbound", item, 100 + back);
        for (const back of [0, 2, 10]) await put(q, back, "outbound", item, 7 * back + 1);
        await put(q, 3, "transfer", item, 55);
        const step = async () => {
          await become(q, "korean");
          const trend = await rpc<Day[]>(q, "dashboard_trend", { p_days: 92 });
          await becomeSuperuser(q);
          return { trend: asNumbers(trend), truth: asNumbers(await truth(q, 92)), kept: await kept(q) };
        };
        const first = await step();
        // Writes into closed days: a sum changed (10), a day added (50), a day's rows deleted (45).
        await put(q, 10, "outbound", other, 5);
        await put(q, 50, "inbound", other, 8);
        await q(`delete from public.flow_daily_totals where day = ${TODAY} - 45`);
        const cleared = await kept(q);
        const second = await step();
        // Writes into yesterday and today clear nothing.
        await put(q, 1, "outbound", other, 3);
        await put(q, 0, "inbound", other, 4);
        const live = await kept(q);
        const third = await step();
        return { first, cleared, second, live, third };
      });
      const closed = Array.from({ length: 90 }, (_, k) => k + 2);
      for (const s of [steps.first, steps.second, steps.third]) expect(s.trend).toEqual(s.truth);
      expect(steps.first.kept).toEqual(closed);
      expect(steps.cleared).toEqual(closed.filter((b) => ![10, 45, 50].includes(b)));
      expect(steps.second.kept).toEqual(closed);
      expect(steps.live).toEqual(closed);
      // The figures moved where they were written: day 10's outbound, day 50's inbound, day 45 gone.
      const at = (s: typeof steps.first, back: number) => s.trend[91 - back];
      expect([at(steps.first, 10)[2], at(steps.second, 10)[2]]).toEqual([71, 76]);
      expect([at(steps.first, 50)[1], at(steps.second, 50)[1]]).toEqual([0, 8]);
      expect([at(steps.first, 45)[1], at(steps.second, 45)[1]]).toEqual([145, 0]);
      expect([at(steps.second, 1)[2], at(steps.third, 1)[2], at(steps.second, 0)[1], at(steps.third, 0)[1]]).toEqual([0, 3, 100, 104]);
    });

    it("in a read-only transaction reads the daily totals and keeps nothing", async () => {
      const { trend, expected, keptAfter } = await getDb().rolledBack(async (q) => {
        await q("delete from public.flow_closed_day_totals");
        await q("set transaction read only");
        await become(q, "manager");
        const trend = await rpc<Day[]>(q, "dashboard_trend", { p_days: 30 });
        await becomeSuperuser(q);
        return { trend: asNumbers(trend), expected: asNumbers(await truth(q, 30)), keptAfter: await kept(q) };
      });
      expect(trend).toEqual(expected);
      expect(trend.some(([, inbound, outbound]) => Number(inbound) + Number(outbound) > 0)).toBe(true);
      expect(keptAfter).toEqual([]);
    });

    it("the kept sums and the function that makes them are the trend's alone", async () => {
      for (const who of ["admin", "manager", "korean", "acme", "anon"] as const) {
        await expect(sqlAs(getDb(), who, "select count(*) from public.flow_closed_day_totals"), who).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), who, "delete from public.flow_closed_day_totals"), who).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), who, "select private.flow_closed_days_fill(current_date - 9, current_date - 2)"), who).rejects.toMatchObject({
          code: "42501",
        });
      }
      // The service role reads them: after a 30-day trend, both kinds of its 28 closed days.
      const n = await getDb().rolledBack(async (q) => {
        await q("delete from public.flow_closed_day_totals");
        await become(q, "korean");
        await rpc(q, "dashboard_trend", { p_days: 30 });
        await become(q, "service_role");
        return (await q<{ n: number }>("select count(*)::int as n from public.flow_closed_day_totals"))[0].n;
      });
      expect(n).toBe(56);
    });
  });

  describe("the daily totals are kept as long as the dashboard can show them (jobs_prune_flow_daily_totals)", () => {
    // Days back from today in Seoul: the dashboard reads at most 92 days, today included
    // (today − 91); the prune deletes days before today − 92.
    const BACK = [400, 93, 92, 91, 0];

    it("deletes the days before today − 92 and keeps the rest; the longest trend and top movers read the same before and after", async () => {
      const { deleted, left, trend, movers } = await getDb().rolledBack(async (q) => {
        const { item } = await ids(q);
        await q("delete from public.flow_daily_totals");
        for (const back of BACK) await put(q, back, "inbound", item, 1000 + back);
        await become(q, "admin");
        const read = async () => ({
          trend: await rpc<Day[]>(q, "dashboard_trend", { p_days: 92 }),
          movers: await rpc<unknown[]>(q, "dashboard_top_movers", { p_days: 92, p_limit: 50 }),
        });
        const before = await read();
        await become(q, "service_role");
        const deleted = await rpc<number>(q, "jobs_prune_flow_daily_totals");
        await become(q, "admin");
        const after = await read();
        await becomeSuperuser(q);
        const left = await q<{ back: number }>(`select (${TODAY} - day)::int as back from public.flow_daily_totals order by day`);
        return { deleted, left: left.map((r) => r.back), trend: [before.trend, after.trend], movers: [before.movers, after.movers] };
      });
      expect(deleted).toBe(2);
      expect(left).toEqual([92, 91, 0]);
      expect(trend[1]).toEqual(trend[0]);
      expect(movers[1]).toEqual(movers[0]);
      // The oldest day the trend shows is one the prune keeps, and it has its total.
      expect(trend[0][0]).toMatchObject({ inbound: 1091 });
    });

    it("deletes the oldest rows first, at most p_limit a call, and refuses a limit out of bounds", async () => {
      const { first, second, third, left, refused } = await getDb().rolledBack(async (q) => {
        const { item } = await ids(q);
        await q("delete from public.flow_daily_totals");
        for (const back of BACK) await put(q, back, "inbound", item, 1);
        const backs = async () =>
          (await q<{ back: number }>(`select (${TODAY} - day)::int as back from public.flow_daily_totals order by day`)).map((r) => r.back);
        await become(q, "service_role");
        const refused = [await outcome(q, "jobs_prune_flow_daily_totals", { p_limit: 0 }), await outcome(q, "jobs_prune_flow_daily_totals", { p_limit: 1000001 })];
        const first = await rpc<number>(q, "jobs_prune_flow_daily_totals", { p_limit: 1 });
        await becomeSuperuser(q);
        const left = await backs();
        await become(q, "service_role");
        const second = await rpc<number>(q, "jobs_prune_flow_daily_totals", { p_limit: 1 });
        const third = await rpc<number>(q, "jobs_prune_flow_daily_totals", { p_limit: 1 });
        return { first, second, third, left, refused };
      });
      expect(refused).toEqual(["bad_request", "bad_request"]);
      // 400 days back went first; 93 next; then nothing older than 92 is left.
      expect(first).toBe(1);
      expect(left).toEqual([93, 92, 91, 0]);
      expect(second).toBe(1);
      expect(third).toBe(0);
    });

    it.each(["admin", "manager", "korean", "acme", "anon"] as const)("%s may not run the prune", async (who) => {
      await withRole(getDb(), who, async (q) => {
        expect(await outcome(q, "jobs_prune_flow_daily_totals")).toBe("42501");
      });
    });
  });
});
