// The bench data set, loaded set-based and consistent with the stock invariants: `items` items at
// 5 locations and `movements` ledger rows in committed flows. Shared by scripts/bench.ts (10,000
// items, 1,000,000 rows) and scripts/bench-pages.ts (the same items with 10,000 and 1,000,000 rows).

import pg from "pg";
import { fail, USERS } from "./common";

export type LoadSize = { items: number; movements: number };

const LINES_PER_FLOW = 500;

// Per (item, location) the movements go in rounds: three inbounds, then an outbound of at most
// half the inbound before it, and so on, so every running balance stays >= 0. Each round at
// each location is a set of committed flows of up to 500 lines (created and submitted by the
// Korean team, approved and committed by the manager), each line one ledger row whose
// balance_after is the running balance (a committed flow's lines are its ledger rows, as
// flow_commit leaves them: flow_lines holds only open flows' lines). Stock and item totals are
// the sums of the ledger.
// Triggers are off for the load (session_replication_role = replica, as pg_restore does): the
// audit log would otherwise get a row per line, and a foreign-key check per row of the 2M
// inserted adds time. ~3% of the items get a reorder point above their stock (low stock).

export async function bulkLoad(url: URL, size: LoadSize): Promise<{ ms: number; steps: [string, number][] }> {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const steps: [string, number][] = [];
  const started = performance.now();
  const step = async (label: string, sql: string, params?: unknown[]) => {
    const t = performance.now();
    await client.query(sql, params);
    steps.push([label, performance.now() - t]);
  };
  try {
    const su = await client.query<{ su: boolean }>("select rolsuper as su from pg_roles where rolname = current_user");
    if (!su.rows[0]?.su) fail("The bulk load needs a superuser connection (session_replication_role).");
    // Before the first temporary table of the session, so the temporary tables stay in memory.
    await client.query("set temp_buffers = '1GB'");
    await client.query("set work_mem = '256MB'");
    await client.query("set maintenance_work_mem = '512MB'");
    await client.query("set synchronous_commit = off");

    const counts = await client.query<{ items: string; moves: string }>(
      "select (select count(*) from public.items) as items, (select count(*) from public.stock_movements) as moves",
    );
    const newItems = size.items - Number(counts.rows[0].items);
    const newMoves = size.movements - Number(counts.rows[0].moves);
    if (newItems < 1 || newMoves < 1) fail(`bulkLoad expects a freshly seeded database (asked for ${size.items} items, ${size.movements} rows).`);
    const pairs = newItems * 5;
    const perPair = Math.floor(newMoves / pairs);
    const extra = newMoves % pairs; // the first `extra` pairs get one more movement

    await step(
      "3 more locations",
      `insert into public.locations (code, name, country) values
         ('KR-ICN', '인천 물류센터 (Incheon)', 'KR'),
         ('KR-PUS', '부산 물류센터 (Busan)', 'KR'),
         ('CN-SZX', '深圳仓库 (Shenzhen)', 'CN')`,
    );

    await client.query("begin");
    await client.query("set local session_replication_role = replica");
    await step(
      "plan (items, movements, flows)",
      `create temp table bench_loc on commit drop as
         select row_number() over (order by code)::int as no, id from public.locations where active;
       create temp table bench_item (idx int primary key, id uuid not null default gen_random_uuid()) on commit drop;
       insert into bench_item (idx) select generate_series(1, ${newItems});
       -- q(idx, loc, k): a quantity 5..50 that looks random and is reproducible.
       create temp table bench_mv on commit drop as
         select idx, loc_no, k, delta, sum(delta) over (partition by idx, loc_no order by k) as balance
         from (
           select i.idx, l.no as loc_no, k,
             case when k % 4 = 3
               then -greatest(1, (5 + ((i.idx::bigint * 7919 + l.no * 104729 + (k - 1) * 1299709) % 46)) / 2)
               else 5 + ((i.idx::bigint * 7919 + l.no * 104729 + k * 1299709) % 46)
             end::numeric as delta
           from bench_item i
           cross join bench_loc l
           cross join generate_series(0, ${perPair}) k
           where k < ${perPair} or ((i.idx - 1) * 5 + (l.no - 1)) < ${extra}
         ) m;
       -- Time-ordered ids (private.uuid_v7), as the app gives them, one millisecond apart in
       -- creation order, after the demo flows' ids: in a real database a new flow is always the
       -- newest. Dated by their backdated created_at instead, they would all sort before the demo
       -- flows made at seed time, and every insert would split a page in the middle of the
       -- line indexes, which no real database sees.
       create temp table bench_flow on commit drop as
         select g.*, private.uuid_v7(statement_timestamp() + g.seq * interval '1 millisecond') as id,
                case when g.k % 4 = 3 then 'outbound' else 'inbound' end as kind,
                now() - interval '366 days' + (g.seq - 1) * (interval '364 days' / g.n) as t
         from (
           select k, loc_no, chunk, row_number() over (order by k, loc_no, chunk) as seq, count(*) over () as n
           from (select distinct k, loc_no, (idx - 1) / ${LINES_PER_FLOW} as chunk from bench_mv) d
         ) g;
       -- Numbers from the sequences private.next_flow_number uses (OUT-2026-000123: year of the
       -- flow, value of the kind's sequence), taken in time order, so that flows created later
       -- never collide with a loaded one.
       alter table bench_flow add column number text;
       update bench_flow f set number = x.number
       from (
         select o.id, format('%s-%s-%s', case o.kind when 'inbound' then 'IN' else 'OUT' end,
                  extract(year from o.t at time zone 'Asia/Seoul')::int,
                  lpad((case o.kind when 'inbound' then nextval('private.flow_number_in_seq')
                                    else nextval('private.flow_number_out_seq') end)::text, 6, '0')) as number
         from (select id, kind, t from bench_flow order by seq) o
       ) x
       where x.id = f.id;`,
    );
    await step(
      `${newItems.toLocaleString("en")} items`,
      `insert into public.items (id, sku, name_ko, name_zh, name_en, unit, engine_id, reorder_point, unit_cost, created_at, updated_at)
       select i.id,
              format('BN-%s-%s', case when i.idx % 2 = 0 then 'LCD' else 'KB' end, lpad(i.idx::text, 6, '0')),
              format('%s %s호', (array['모니터','키보드','케이블','패널','스탠드','마우스','어댑터','허브'])[1 + i.idx % 8], i.idx),
              format('%s %s号', (array['显示器','键盘','线缆','面板','支架','鼠标','适配器','集线器'])[1 + i.idx % 8], i.idx),
              format('%s no. %s', (array['Monitor','Keyboard','Cable','Panel','Stand','Mouse','Adapter','Hub'])[1 + i.idx % 8], i.idx),
              (array['EA','BOX','SET','EA','EA'])[1 + i.idx % 5],
              case when i.idx % 2 = 0 then 'e0000000-0000-4000-8000-000000000001'::uuid else 'e0000000-0000-4000-8000-000000000002'::uuid end,
              -- about 3% low: reorder point above the stock; the rest at a fifth of it
              case when i.idx % 33 = 0 then coalesce(t.total, 0) + 10 + i.idx % 90 else round(coalesce(t.total, 0) / 5) end,
              1000 + (i.idx * 7919) % 400000,
              now() - interval '400 days', now() - interval '400 days'
       from bench_item i
       -- left join: with fewer rows than pairs some items have no movement (and no stock)
       left join (select idx, sum(delta) as total from bench_mv group by idx) t on t.idx = i.idx`,
    );
    await step(
      "flows",
      `insert into public.flows (id, number, kind, status, from_location_id, to_location_id, partner, reference,
                                 created_by, created_at, submitted_by, submitted_at, approved_by, approved_at,
                                 committed_by, committed_at, updated_at)
       select f.id, f.number, f.kind, 'committed',
              case when f.kind = 'outbound' then l.id end, case when f.kind = 'inbound' then l.id end,
              case when f.kind = 'inbound' then 'Shenzhen Bench Factory' else 'Bench Customer Co' end,
              format('BENCH-%s', f.seq),
              $1, f.t, $1, f.t + interval '1 hour', $2, f.t + interval '2 hours', $2, f.t + interval '3 hours', f.t + interval '3 hours'
       from bench_flow f join bench_loc l on l.no = f.loc_no`,
      [USERS.korean.id, USERS.manager.id],
    );
    await step(
      "lines plan",
      `create temp table bench_line on commit drop as
         select f.id as flow_id, f.seq, (m.idx - 1) % ${LINES_PER_FLOW} + 1 as line_no,
                i.id as item_id, l.id as location_id, m.delta, m.balance, f.t
         from bench_mv m
         join bench_flow f on f.k = m.k and f.loc_no = m.loc_no and f.chunk = (m.idx - 1) / ${LINES_PER_FLOW}
         join bench_item i on i.idx = m.idx
         join bench_loc l on l.no = m.loc_no`,
    );
    await step(
      "stock_movements",
      `insert into public.stock_movements (flow_id, line_no, item_id, location_id, delta, balance_after, actor_id, created_at)
       select flow_id, line_no, item_id, location_id, delta, balance, $1, t + interval '3 hours' from bench_line order by seq, line_no`,
      [USERS.manager.id],
    );
    await step(
      "stocks, item totals",
      `insert into public.stocks (item_id, location_id, on_hand, updated_at)
         select i.id, l.id, sum(m.delta), now() - interval '1 day'
         from bench_mv m join bench_item i on i.idx = m.idx join bench_loc l on l.no = m.loc_no
         group by i.id, l.id;
       insert into public.item_stock_totals (item_id, on_hand, updated_at)
         select i.id, sum(m.delta), now() - interval '1 day'
         from bench_mv m join bench_item i on i.idx = m.idx group by i.id;
       -- Every item has a totals row (item_create makes one), and triggers are off: the
       -- shortage and the item list's row the trigger would keep are filled here.
       insert into public.item_stock_totals (item_id, on_hand, updated_at)
         select i.id, 0, now() - interval '1 day' from public.items i
         where not exists (select 1 from public.item_stock_totals t where t.item_id = i.id);
       select private.item_totals_refresh(array(select i.id from public.items i));
       -- The low items' rows the totals' trigger would have kept, and the item list's sku
       -- marks, which the items' triggers would have made.
       select private.low_stock_items_build();
       select private.item_sku_marks_build();`,
    );
    await step(
      "dashboard daily totals",
      // Triggers are off during the load: fill the summary the commit trigger would have written,
      // in the order it would have: each row first written by the first commit of its day, kind
      // and item, a commit's items in item order (then only its sums change). Only the days the
      // daily prune keeps (jobs_prune_flow_daily_totals): a year-old database holds no others.
      `insert into public.flow_daily_totals (day, kind, item_id, qty, lines)
       select (f.committed_at at time zone 'Asia/Seoul')::date, f.kind, fl.item_id, sum(abs(fl.qty)), count(*)
       from public.flows f join private.all_flow_lines fl on fl.flow_id = f.id
       where f.status = 'committed' and f.reference like 'BENCH-%'
         and (f.committed_at at time zone 'Asia/Seoul')::date >= (now() at time zone 'Asia/Seoul')::date - private.dashboard_max_days()
       group by 1, 2, 3
       order by min(f.committed_at), fl.item_id
       on conflict (day, kind, item_id) do update
         set qty = public.flow_daily_totals.qty + excluded.qty, lines = public.flow_daily_totals.lines + excluded.lines`,
    );
    await step("commit", "commit");
    // Autovacuum may be off (it is on the CI box) or late: vacuum now so the benchmark reads
    // an all-visible heap, as a production table at rest would be, and has fresh statistics.
    await step(
      "vacuum analyze",
      "vacuum (analyze) public.stock_movements, public.flow_lines, public.flows, public.items, public.stocks, public.item_stock_totals, public.locations",
    );
    await step("analyze (rest)", "analyze");
    return { ms: performance.now() - started, steps };
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
