// npm run bench — the inventory benchmark on real Postgres at production scale: 10,000 items,
// 5 locations, BENCH_LEDGER_ROWS ledger rows (1,000,000; smaller for a quick run, 10,000,000 for
// the scale check of issue 17).
//
// 1. The domain SQL against Postgres itself (issue 17), all driven by pgbench in the same run
//    (scripts/bench/sqlcost.ts): a bare `select 1` transaction and a minimal stock issue on a
//    minimal schema (the baselines), then the outbound create→submit→approve→commit cycle,
//    items_list, stocks_list(low) and a 50-row ledger page called as a signed-in user. Ratios
//    against the baselines, PASS/MISS per target, and the database size against the minimal
//    ledger's at the same number of rows.
// 2. Unless BENCH_API=0 or there is no production build (`npm run build`): the same reads and
//    cycle through the HTTP API and as raw calls from Node.js, and API ÷ raw.
//
// Prints figures and PASS/MISS against the targets; never fails on timing. Exits 1 only when it
// cannot run, when a request failed, or when the stock invariant is violated. Prints the load
// average at the start and the end: the machine is shared, compare ratios, not rates.
//
// Needs pgbench and a local Postgres on which it may drop and recreate two databases:
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/duly_bench; local hosts only,
// the name must contain "bench") and the same name with `_min`. The bulk load needs a superuser
// (it loads with triggers off, as a restore does).
//
// BENCH_SECONDS (10) measured per scenario, BENCH_WARMUP_SECONDS (3), BENCH_CONCURRENCY (32),
// BENCH_SINGLE_SECONDS (2) for the one-client pass that shows the cost of one request without
// queueing, BENCH_KEEP=1 keeps the databases afterwards for inspection.

import { existsSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import {
  APP_POOL_MAX,
  runBench,
  checkUrl,
  cleanup,
  cpuTimes,
  DEFAULT_DB_URL,
  dropDatabase,
  fail,
  fmt,
  httpJson,
  invariantViolations,
  percentile,
  pick,
  pools,
  rawCall,
  recreateDatabase,
  ROOT,
  secs,
  signIn,
  startServer,
  USERS,
  type ApiBody,
} from "./bench/common";
import { clientExecutor } from "@/lib/db/postgres";
import { migrate } from "@/lib/db/migrate";
import { bulkLoad } from "./bench/load";
import { hasPgbench, type PgbenchResult } from "./bench/pgbench";
import { createMinimal, databaseSize, dropMinimal, measureSqlCost, minimalUrl, serverSettings } from "./bench/sqlcost";

const DB_URL = process.env.BENCH_DATABASE_URL || DEFAULT_DB_URL;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SINGLE_SECONDS = Number(process.env.BENCH_SINGLE_SECONDS ?? 2);
const KEEP = process.env.BENCH_KEEP === "1";
const LEDGER_ROWS = Number(process.env.BENCH_LEDGER_ROWS ?? 1_000_000);
const API = process.env.BENCH_API !== "0";
const REUSE = process.env.BENCH_REUSE === "1";

const SCALE = { items: 10_000, movements: LEDGER_ROWS };
// Issue 17: ratios measured in one run, against pgbench baselines in the same run.
const TARGETS = { cycleVsIssue: 0.1, readVsBare: 0.08, apiCycle: 0.75, apiRead: 0.7, sizeVsMinimal: 3 };
/** Above this relative difference between a baseline's two runs, the bench warns that the machine's speed moved. */
const BASELINE_DRIFT = 0.15;

const runStarted = performance.now();

// ---------------------------------------------------------------------------------------------
// Load generation (the database, its load and the server are in scripts/bench/)
// ---------------------------------------------------------------------------------------------

type Result = {
  label: string;
  ok: number;
  errors: number;
  errorSamples: string[];
  elapsedS: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  cpu: number;
  appConns?: { busyMean: number; saturated: number };
};

/** A closed loop: `concurrency` workers, each running `op` back to back until the time is up. */
async function closedLoop(
  label: string,
  seconds: number,
  op: () => Promise<void>,
  concurrency = CONCURRENCY,
  sampleConns?: () => Promise<number>,
): Promise<Result> {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const cpu0 = cpuTimes();
  const busySamples: number[] = [];
  let sampling = !!sampleConns;
  const sampler = (async () => {
    while (sampling && sampleConns) {
      busySamples.push(await sampleConns().catch(() => NaN));
      await sleep(100);
    }
  })();
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        await op();
        latencies.push(performance.now() - t);
      } catch (error) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push((error as Error).message.slice(0, 300));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  const cpu1 = cpuTimes();
  latencies.sort((a, b) => a - b);
  const busy = busySamples.filter(Number.isFinite);
  return {
    label,
    ok: latencies.length,
    errors,
    errorSamples,
    elapsedS,
    rate: latencies.length / elapsedS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    cpu: (100 * (cpu1.busy - cpu0.busy)) / Math.max(1, cpu1.total - cpu0.total),
    appConns: sampleConns
      ? {
          busyMean: busy.reduce((a, b) => a + b, 0) / Math.max(1, busy.length),
          saturated: (100 * busy.filter((b) => b >= APP_POOL_MAX).length) / Math.max(1, busy.length),
        }
      : undefined,
  };
}

/** Warm-up (errors counted too), then the measured run. */
async function scenario(label: string, op: () => Promise<void>, sampleConns?: () => Promise<number>): Promise<Result> {
  const warm = await closedLoop(label, WARMUP_SECONDS, op);
  const r = await closedLoop(label, SECONDS, op, CONCURRENCY, sampleConns);
  r.errors += warm.errors;
  r.errorSamples.push(...warm.errorSamples.slice(0, Math.max(0, 5 - r.errorSamples.length)));
  printResult(r);
  return r;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });

async function api(base: string, method: string, route: string, token: string | { cookie: string }, body?: unknown): Promise<ApiBody> {
  const res = await httpJson(base, method, route, token, body, agent);
  if (res.status >= 400) {
    const e = res.json?.error;
    throw new Error(`${method} ${route.replace(/[0-9a-f-]{36}/g, ":id")} → ${res.status} ${e?.code ?? ""} ${e?.message ?? JSON.stringify(res.json).slice(0, 200)}`);
  }
  return res.json;
}

async function login(base: string, email: string): Promise<string> {
  return (await signIn(base, email, agent)).token;
}

/** The session cookie of a sign-in, as the web app sends it. */
async function loginCookie(base: string, email: string): Promise<{ cookie: string }> {
  return { cookie: (await signIn(base, email, agent)).cookie };
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

const HEADER = `${"scenario".padEnd(52)}${"rate".padStart(10)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"p99 ms".padStart(9)}${"errors".padStart(8)}${"cpu%".padStart(6)}`;

/** One row of the table: label, rate, percentiles, errors (the columns of HEADER). */
function row(label: string, rate: number, p: { p50: number; p95: number; p99: number }, errors: number): string {
  const unit = label.includes("cycle") ? "cyc/s" : "req/s";
  return `${label.padEnd(52)}${`${fmt(rate)} ${unit}`.padStart(10)}${fmt(p.p50).padStart(9)}${fmt(p.p95).padStart(9)}${fmt(p.p99).padStart(9)}${String(errors).padStart(8)}`;
}

function printResult(r: Result): void {
  let line = `${row(r.label, r.rate, r, r.errors)}${fmt(r.cpu, 0).padStart(6)}`;
  if (r.appConns) line += `   app pool busy: mean ${fmt(r.appConns.busyMean)}/${APP_POOL_MAX}, full ${fmt(r.appConns.saturated, 0)}% of samples`;
  console.log(line);
  for (const s of r.errorSamples) console.log(`    error: ${s}`);
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

/** The API section: the production build against the bench database, and raw calls from Node.js. */
async function apiSection(
  url: URL,
  admin: pg.Client,
  itemIds: string[],
  stocked: { item_id: string; location_id: string }[],
  pages: number,
): Promise<{ items: Result; low: Result; ledger: Result; cycle: Result; all: Result[] }> {
  const started = await startServer(url);
  console.log(`server ready in ${secs(started.readyMs)} at ${started.base} (DATABASE_URL pool max ${APP_POOL_MAX})`);
  const base = started.base;
  const korean = await login(base, USERS.korean.email);
  const manager = await login(base, USERS.manager.email);
  const koreanCookie = await loginCookie(base, USERS.korean.email);

  // Connections the app holds in a transaction right now (its pool is the only other client).
  const appBusy = async () =>
    Number(
      (
        await admin.query<{ n: string }>(
          `select count(*) n from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
             and state in ('active', 'idle in transaction')`,
        )
      ).rows[0].n,
    );

  // 4: API
  const apiOps = {
    // No database at all: what the framework and the route wrapper alone cost per request.
    floor: () => api(base, "GET", "/api/v1/version", korean).then(() => undefined),
    // The cheapest read that touches the database: the profile, then two engines.
    floorDb: () => api(base, "GET", "/api/v1/engines", korean).then(() => undefined),
    // The same two with the web app's session cookie instead of a bearer token.
    floorCookie: () => api(base, "GET", "/api/v1/version", koreanCookie).then(() => undefined),
    floorDbCookie: () => api(base, "GET", "/api/v1/engines", koreanCookie).then(() => undefined),
    items: () => api(base, "GET", `/api/v1/items?page=${1 + Math.floor(Math.random() * pages)}&limit=20`, korean).then(() => undefined),
    low: () => api(base, "GET", "/api/v1/stocks?low=true&limit=20", korean).then(() => undefined),
    ledger: () => api(base, "GET", `/api/v1/ledger?item_id=${pick(itemIds)}&limit=50`, korean).then(() => undefined),
    cycle: async () => {
      const s = pick(stocked);
      const created = await api(base, "POST", "/api/v1/outbounds", korean, { location_id: s.location_id, lines: [{ item_id: s.item_id, qty: 1 }] });
      const id = created?.data?.id;
      if (!id) throw new Error("POST /api/v1/outbounds answered without data.id");
      await api(base, "POST", `/api/v1/outbounds/${id}/submit`, korean);
      await api(base, "POST", `/api/v1/outbounds/${id}/approve`, manager);
      await api(base, "POST", `/api/v1/outbounds/${id}/commit`, manager);
    },
  };
  console.log(`\n${CONCURRENCY} concurrent clients\n${HEADER}`);
  const apiFloor = await scenario("API  GET /version (no database: the floor)", apiOps.floor);
  const apiFloorDb = await scenario("API  GET /engines (2 rows: the floor with SQL)", apiOps.floorDb);
  const apiFloorCookie = await scenario("API  GET /version, session cookie", apiOps.floorCookie);
  const apiFloorDbCookie = await scenario("API  GET /engines, session cookie", apiOps.floorDbCookie);
  const apiItems = await scenario("API  GET /items?page=N&limit=20", apiOps.items, appBusy);
  const apiLow = await scenario("API  GET /stocks?low=true&limit=20", apiOps.low, appBusy);
  const apiLedger = await scenario("API  GET /ledger?item_id=X&limit=50", apiOps.ledger, appBusy);
  const apiCycle = await scenario("API  outbound create→submit→approve→commit cycle", apiOps.cycle, appBusy);

  // Raw SQL at the same concurrency: a pool of one connection per worker.
  const rawOps = (pool: pg.Pool) => ({
    items: () => rawCall(pool, "items_list", { p_sort: "sku", p_page: 1 + Math.floor(Math.random() * pages), p_limit: 20, p_actor: USERS.korean.id }).then(() => undefined),
    low: () => rawCall(pool, "stocks_list", { p_low: true, p_page: 1, p_limit: 20, p_actor: USERS.korean.id }).then(() => undefined),
    ledger: () => rawCall(pool, "ledger_list", { p_item_id: pick(itemIds), p_limit: 50, p_actor: USERS.korean.id }).then(() => undefined),
    cycle: async () => {
      const s = pick(stocked);
      const flow = (await rawCall(pool, "flow_create", {
        p_kind: "outbound",
        p_lines: [{ item_id: s.item_id, qty: 1 }],
        p_from_location_id: s.location_id,
        p_actor: USERS.korean.id,
      })) as { id: string };
      await rawCall(pool, "flow_submit", { p_id: flow.id, p_kind: "outbound", p_actor: USERS.korean.id });
      await rawCall(pool, "flow_approve", { p_id: flow.id, p_kind: "outbound", p_actor: USERS.manager.id });
      await rawCall(pool, "flow_commit", { p_id: flow.id, p_kind: "outbound", p_actor: USERS.manager.id });
    },
  });
  const pool = new pg.Pool({ connectionString: url.toString(), max: CONCURRENCY });
  pools.push(pool);
  const raw = rawOps(pool);
  const rawItems = await scenario("raw  items_list", raw.items);
  const rawLow = await scenario("raw  stocks_list(p_low)", raw.low);
  const rawLedger = await scenario("raw  ledger_list(p_item_id)", raw.ledger);
  const rawCycle = await scenario("raw  outbound cycle (4 function calls)", raw.cycle);

  // Does the app's pool of 10 limit it? The same raw calls through 10 connections.
  const pool10 = new pg.Pool({ connectionString: url.toString(), max: APP_POOL_MAX });
  pools.push(pool10);
  const raw10 = rawOps(pool10);
  const raw10Items = await scenario(`raw  items_list, pool of ${APP_POOL_MAX}`, raw10.items);
  const raw10Cycle = await scenario(`raw  outbound cycle, pool of ${APP_POOL_MAX}`, raw10.cycle);

  // One client at a time: what one request costs without queueing behind the others.
  console.log(`\none client at a time (${SINGLE_SECONDS} s each)\n${HEADER}`);
  const single: Result[] = [];
  for (const [label, op] of [
    ["API  GET /version (no database)", apiOps.floor],
    ["API  GET /engines (2 rows)", apiOps.floorDb],
    ["API  GET /items?page=N&limit=20", apiOps.items],
    ["API  GET /stocks?low=true&limit=20", apiOps.low],
    ["API  GET /ledger?item_id=X&limit=50", apiOps.ledger],
    ["API  outbound cycle", apiOps.cycle],
    ["raw  items_list", raw.items],
    ["raw  stocks_list(p_low)", raw.low],
    ["raw  ledger_list(p_item_id)", raw.ledger],
    ["raw  outbound cycle", raw.cycle],
  ] as const) {
    const r = await closedLoop(label, SINGLE_SECONDS, op, 1);
    printResult(r);
    single.push(r);
  }
  for (const p of [pool, pool10]) {
    await p.end();
    pools.splice(pools.indexOf(p), 1);
  }

  console.log(`\n${"API / raw SQL".padEnd(52)}${"throughput".padStart(10)}${"p95".padStart(8)}`);
  const pairs: [string, Result, Result][] = [
    ["item list", apiItems, rawItems],
    ["low-stock list", apiLow, rawLow],
    ["ledger page", apiLedger, rawLedger],
    ["outbound cycle", apiCycle, rawCycle],
  ];
  for (const [label, a, r] of pairs) {
    console.log(`  ${label.padEnd(50)}${fmt(a.rate / r.rate, 2).padStart(10)}${fmt(a.p95 / r.p95, 2).padStart(8)}`);
  }
  // Issue 17: a cookie-session request must not pay more than a bearer one (no proxy for the API).
  console.log(
    `  session cookie vs bearer token: /version ${fmt(apiFloorCookie.rate / apiFloor.rate, 2)}, /engines ${fmt(apiFloorDbCookie.rate / apiFloorDb.rate, 2)} (throughput ratio)`,
  );
  console.log(
    `  raw pool of ${APP_POOL_MAX} vs ${CONCURRENCY}: items ${fmt(raw10Items.rate / rawItems.rate, 2)}, cycle ${fmt(raw10Cycle.rate / rawCycle.rate, 2)} (throughput ratio)`,
  );

  return {
    items: apiItems,
    low: apiLow,
    ledger: apiLedger,
    cycle: apiCycle,
    all: [apiFloor, apiFloorDb, apiFloorCookie, apiFloorDbCookie, apiItems, apiLow, apiLedger, apiCycle, rawItems, rawLow, rawLedger, rawCycle, raw10Items, raw10Cycle, ...single],
  };
}

async function main(): Promise<void> {
  if (!hasPgbench()) fail("pgbench is not installed (Debian: postgresql-client); the baselines need it");
  const withApi = API && existsSync(path.join(ROOT, ".next", "BUILD_ID"));
  const url = checkUrl(DB_URL);
  const minUrl = minimalUrl(url);
  const dbName = decodeURIComponent(url.pathname.slice(1));
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
  console.log(
    `bench: ${os.cpus().length} CPUs, load average ${load()}; database ${url.host}/${dbName}; ${REUSE ? "reused (its rows below)" : `${LEDGER_ROWS.toLocaleString("en")} ledger rows`}; ` +
      `${CONCURRENCY} concurrent, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per scenario`,
  );

  // 1 + 2: database (BENCH_REUSE=1: the one a BENCH_KEEP=1 run left, with new migrations applied)
  let t = performance.now();
  if (REUSE) {
    await migrateKept(url);
    console.log(`reused the kept database, migrations applied: ${secs(performance.now() - t)}`);
  } else {
    await recreateDatabase(url);
    console.log(`schema + seed: ${secs(performance.now() - t)}`);
    const loaded = await bulkLoad(url, SCALE);
    console.log(`bulk load: ${secs(loaded.ms)} (${loaded.steps.map(([l, ms]) => `${l} ${secs(ms)}`).join("; ")})`);
  }

  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    // A small ledger leaves few stock rows with much stock: one inbound tops up 500 of them, so
    // that the cycle's 1-unit outbounds never run short.
    await topUp(url, admin);
    const sizes = await admin.query<{ items: string; locations: string; moves: string; flows: string; low: string }>(
      `select (select count(*) from public.items) items, (select count(*) from public.locations) locations,
              (select count(*) from public.stock_movements) moves, (select count(*) from public.flows) flows,
              (select count(*) from public.items i left join public.item_stock_totals t on t.item_id = i.id
                where i.active and i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point) low`,
    );
    const s = sizes.rows[0];
    t = performance.now();
    await createMinimal(minUrl, Number(s.moves), 5 * Number(s.items));
    const dbSize = await databaseSize(url);
    const minSize = await databaseSize(minUrl);
    console.log(
      `data: ${s.items} items, ${s.locations} locations, ${s.moves} ledger rows, ${s.flows} flows, ${s.low} items low; ` +
        `database ${mb(dbSize)}, the minimal ledger at ${s.moves} rows ${mb(minSize)} (made in ${secs(performance.now() - t)})`,
    );
    const rel = await admin.query<{ name: string; heap: string; idx: string }>(
      `select c.relname as name, pg_table_size(c.oid) heap, pg_indexes_size(c.oid) idx from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' order by pg_total_relation_size(c.oid) desc limit 5`,
    );
    console.log(`largest tables: ${rel.rows.map((r) => `${r.name} ${mb(Number(r.heap))} + indexes ${mb(Number(r.idx))}`).join("; ")}`);
    const server = await serverSettings(admin);
    console.log(`server: ${server.text}`);
    t = performance.now();
    const before = await invariantViolations(admin);
    console.log(`invariant before: ${before.length} violations (${secs(performance.now() - t)})`);
    if (before.length > 0) {
      console.log(JSON.stringify(before.slice(0, 5)));
      fail("The loaded data violates the stock invariant; not measuring.");
    }
    const pages = Math.ceil(Number(s.items) / 20);

    // 3: the domain SQL and the baselines, pgbench only
    console.log(`\nPostgres alone (pgbench, ${CONCURRENCY} clients; load average ${load()})\n${HEADER}`);
    const sql = await measureSqlCost(url, minUrl, {
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      clients: CONCURRENCY,
      pages,
      minimalPairs: 5 * Number(s.items),
    });
    // In the order they ran; every one of them counts in "zero errors" below.
    const sqlRuns = [sql.bare, sql.minimalIssue, sql.me, sql.cycle, sql.cyclePerCore, sql.items, sql.low, sql.ledger, sql.bareAgain, sql.minimalIssueAgain];
    for (const r of sqlRuns) {
      console.log(row(r.label, r.rate, r, r.failed));
    }

    // 4: the app (optional)
    let api: Awaited<ReturnType<typeof apiSection>> | null = null;
    if (withApi) {
      const itemIds = (await admin.query<{ id: string }>("select item_id as id from public.item_stock_totals where on_hand > 0")).rows.map((r) => r.id);
      const stocked = (
        await admin.query<{ item_id: string; location_id: string }>("select item_id, location_id from public.stocks where on_hand >= 100")
      ).rows;
      api = await apiSection(url, admin, itemIds, stocked, pages);
    } else {
      console.log(`\nAPI section skipped (${API ? "no production build: npm run build" : "BENCH_API=0"})`);
    }

    const after = await invariantViolations(admin);
    const errors =
      (api?.all ?? []).reduce((n, r) => n + r.errors, 0) +
      sqlRuns.reduce((n, r) => n + r.failed, 0);
    const mark = (okay: boolean) => (okay ? "PASS" : "MISS");
    const ratio = (a: number, b: number) => a / b;
    console.log(`\ntargets (issue 17; ratios within this run; load average now ${load()})`);
    // Each baseline was measured before and after the domain SQL; the ratios use the mean.
    const bare = (sql.bare.rate + sql.bareAgain.rate) / 2;
    const issue = (sql.minimalIssue.rate + sql.minimalIssueAgain.rate) / 2;
    const drift = (a: number, b: number) => Math.abs(a - b) / Math.max(a, b);
    const worstDrift = Math.max(drift(sql.bare.rate, sql.bareAgain.rate), drift(sql.minimalIssue.rate, sql.minimalIssueAgain.rate));
    console.log(
      `        baselines before and after the domain SQL: bare ${fmt(sql.bare.rate)} then ${fmt(sql.bareAgain.rate)} tx/s, ` +
        `minimal issue ${fmt(sql.minimalIssue.rate)} then ${fmt(sql.minimalIssueAgain.rate)} tx/s; the ratios use the means ` +
        `(${fmt(bare)}, ${fmt(issue)})`,
    );
    if (worstDrift > BASELINE_DRIFT) {
      console.log(
        `        WARNING: a baseline moved ${fmt(100 * worstDrift, 0)} % during the run (other work on the machine?): ` +
          "its ratios are not comparable with other runs'",
      );
    }
    if (server.hugePages === false) {
      console.log(
        "        huge pages are not in use: at 32 clients the reads lose much of their rate to page-table misses " +
          "on the shared buffers, the bare transaction almost none (docs/performance.md, huge pages)",
      );
    }
    const cycleRatio = ratio(sql.cycle.rate, issue);
    console.log(
      `  ${mark(cycleRatio >= TARGETS.cycleVsIssue)}  outbound cycles/s >= ${TARGETS.cycleVsIssue} x minimal stock issues/s: ${fmt(cycleRatio, 3)} ` +
        `(${fmt(sql.cycle.rate)} cycles/s = ${fmt(4 * sql.cycle.rate)} calls/s vs ${fmt(issue)} tx/s)`,
    );
    console.log(
      `        for scale: the cycle with one client per core ${fmt(ratio(sql.cyclePerCore.rate, issue), 3)} x the minimal issue ` +
        `(${fmt(sql.cyclePerCore.rate)} cycles/s, ${fmt(ratio(sql.cyclePerCore.rate, sql.cycle.rate), 2)} x its rate at ${CONCURRENCY} clients)`,
    );
    for (const r of [sql.items, sql.low, sql.ledger]) {
      const x = ratio(r.rate, bare);
      console.log(
        `  ${mark(x >= TARGETS.readVsBare)}  ${r.label.replace(/^pgbench\s+/, "")} >= ${TARGETS.readVsBare} x bare transactions/s: ${fmt(x, 3)} ` +
          `(${fmt(r.rate)} vs ${fmt(bare)} req/s)`,
      );
    }
    console.log(`        for scale: me() alone ${fmt(ratio(sql.me.rate, bare), 3)} x the bare transaction (${fmt(sql.me.rate)} req/s)`);
    if (sql.wal) {
      const w = (x: { records: number; fullPages: number; bytes: number }) => `${fmt(x.records, 1)} records, ${fmt(x.bytes / 1024, 1)} kB (${fmt(x.fullPages, 2)} full pages)`;
      console.log(`        WAL per outbound cycle: ${w(sql.wal.cycle)}; per minimal stock issue: ${w(sql.wal.minimalIssue)}`);
    }
    const sizeRatio = dbSize / minSize;
    console.log(
      `  ${mark(sizeRatio <= TARGETS.sizeVsMinimal)}  database size <= ${TARGETS.sizeVsMinimal} x the minimal ledger's at ${s.moves} rows: ${fmt(sizeRatio, 2)} x (${mb(dbSize)} vs ${mb(minSize)})`,
    );
    if (api) {
      const pairs: [string, Result, PgbenchResult, number][] = [
        ["outbound cycle", api.cycle, sql.cycle, TARGETS.apiCycle],
        ["item list", api.items, sql.items, TARGETS.apiRead],
        ["low-stock list", api.low, sql.low, TARGETS.apiRead],
        ["ledger page", api.ledger, sql.ledger, TARGETS.apiRead],
      ];
      for (const [label, a, r, target] of pairs) {
        const x = ratio(a.rate, r.rate);
        console.log(`  ${mark(x >= target)}  ${label} via the API >= ${target} x pgbench: ${fmt(x, 2)} (${fmt(a.rate)} vs ${fmt(r.rate)}/s)`);
      }
    } else {
      console.log("        via the API: not measured in this run");
    }
    console.log(`        scale: compare these ratios with a run at BENCH_LEDGER_ROWS=10000000 (target: no more than 1.5 x the cost at 1M)`);
    console.log(`  ${mark(errors === 0)}  zero errors: ${errors}`);
    console.log(`  ${mark(after.length === 0)}  stock invariant holds afterwards: ${after.length} violations`);
    if (after.length > 0) console.log(JSON.stringify(after.slice(0, 5)));
    console.log(`\nload average at the end ${load()}`);
    console.log(`total run time ${secs(performance.now() - runStarted)}${KEEP ? `; databases ${dbName} and ${dbName}_min kept (BENCH_KEEP=1)` : ""}`);
    process.exitCode = errors > 0 || after.length > 0 ? 1 : 0;
  } finally {
    await admin.end().catch(() => undefined);
    await cleanup();
    agent.destroy();
    if (!KEEP && !REUSE) {
      await dropDatabase(url);
      await dropMinimal(minUrl);
    }
  }
}

/** Applies the migrations a kept bench database does not have yet. */
async function migrateKept(url: URL): Promise<void> {
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    await migrate(clientExecutor(db));
    await db.query("vacuum analyze");
  } finally {
    await db.end();
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/** Tops up the 500 fullest stock rows by one committed inbound when fewer than 500 hold 100 or more. */
async function topUp(url: URL, admin: pg.Client): Promise<void> {
  const rows = (
    await admin.query<{ item_id: string; location_id: string; on_hand: string }>(
      "select item_id, location_id, on_hand from public.stocks order by on_hand desc, item_id, location_id limit 500",
    )
  ).rows;
  if (rows.length > 0 && Number(rows[rows.length - 1].on_hand) >= 100) return;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  pools.push(pool);
  // Inbounds go to one location: the first 500 pairs with the location of each.
  const byLocation = new Map<string, string[]>();
  for (const r of rows) byLocation.set(r.location_id, [...(byLocation.get(r.location_id) ?? []), r.item_id]);
  for (const [location, items] of byLocation) {
    const flow = (await rawCall(pool, "flow_create", {
      p_kind: "inbound",
      p_lines: items.map((id) => ({ item_id: id, qty: 10000 })),
      p_to_location_id: location,
      p_actor: USERS.korean.id,
    })) as { id: string };
    await rawCall(pool, "flow_submit", { p_id: flow.id, p_actor: USERS.korean.id });
    await rawCall(pool, "flow_approve", { p_id: flow.id, p_actor: USERS.manager.id });
    await rawCall(pool, "flow_commit", { p_id: flow.id, p_actor: USERS.manager.id });
  }
  await pool.end();
  pools.splice(pools.indexOf(pool), 1);
}

runBench(main);
