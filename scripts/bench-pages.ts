// npm run bench:pages — the page targets of issue 4 on real Postgres, with 10,000 items at two
// ledger sizes: ~10,000 rows, then 1,000,000 rows (the data set of `npm run bench`). For each:
//   - /dashboard and /items server render: the full HTML response, streamed widgets included,
//     sequential requests after a warm-up (p50/p95/p99);
//   - the functions the dashboard calls, raw (as the server calls them), and their
//     EXPLAIN (ANALYZE, BUFFERS) with the nested statements' plans (auto_explain), to show
//     whether any of them scans the ledger;
//   - LCP and CLS of /dashboard and /items in headless system Chromium (median of a few runs,
//     each in a fresh browser context);
//   - page weight (issue 17, scripts/bench/page-weight.ts), at the small ledger: per role and per
//     first page (/login and every page the role's navigation shows), the compressed JavaScript
//     of a first visit, its requests and LCP on a throttled "slow 4G" phone profile.
// Prints both sizes side by side and PASS/MISS against the targets; never fails on timing. Exits
// 1 only when it cannot run or a request fails. BENCH_PAGES_ONLY=weight measures the page weight
// alone (small ledger only, a few minutes).
//
// Needs a production build (`npm run build`), /usr/bin/chromium (BENCH_CHROMIUM) and a local
// Postgres superuser connection on which it may drop and recreate one database:
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/duly_bench_pages; local hosts
// only, the name must contain "bench"). The 1M phase rebuilds the database with the same items
// (SKUs, names, costs) and the larger ledger, rather than appending to the small one: the load is
// set-based and writes every running balance consistently, and it is then `npm run bench`'s data.
//
// BENCH_PAGES_LEDGER (1000000) the large ledger, BENCH_PAGES_SMALL_LEDGER (10000),
// BENCH_PAGES_REQUESTS (50) measured renders per page, BENCH_PAGES_WARMUP (5),
// BENCH_PAGES_SQL_CALLS (30) per function, BENCH_PAGES_BROWSER_RUNS (5) per page,
// BENCH_KEEP=1 keeps the database afterwards.

import { existsSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium, type Browser } from "@playwright/test";
import pg from "pg";
import { functionCall, sessionSetup } from "@/lib/db/sql-call";
import { service } from "@/lib/db/types";
import {
  runBench,
  checkUrl,
  cleanup,
  dropDatabase,
  fail,
  fmt,
  median,
  percentile,
  pools,
  rawCall,
  recreateDatabase,
  ROOT,
  secs,
  signIn,
  startServer,
  stopServer,
  USERS,
} from "./bench/common";
import { bulkLoad } from "./bench/load";
import { measureWeights, printWeightTargets, type Weight } from "./bench/page-weight";

const DB_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/duly_bench_pages";
const CHROMIUM = process.env.BENCH_CHROMIUM || "/usr/bin/chromium";
const ITEMS = 10_000;
const SMALL_LEDGER = Number(process.env.BENCH_PAGES_SMALL_LEDGER ?? 10_000);
const LARGE_LEDGER = Number(process.env.BENCH_PAGES_LEDGER ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_PAGES_REQUESTS ?? 50);
const WARMUP = Number(process.env.BENCH_PAGES_WARMUP ?? 5);
const SQL_CALLS = Number(process.env.BENCH_PAGES_SQL_CALLS ?? 30);
const BROWSER_RUNS = Number(process.env.BENCH_PAGES_BROWSER_RUNS ?? 5);
const KEEP = process.env.BENCH_KEEP === "1";
const WEIGHT_ONLY = process.env.BENCH_PAGES_ONLY === "weight";

const TARGETS = { renderP95Ms: 300, lcpMs: 1500, cls: 0.05 };
const PAGES = ["/dashboard", "/items"] as const;
type PagePath = (typeof PAGES)[number];
// Tables with a row per ledger row: a sequential scan of one makes the dashboard grow with the
// ledger (a committed flow's lines are its ledger rows). (flows has a row per few hundred lines
// here; scans of it are printed, not judged.)
const LEDGER_TABLES = ["stock_movements"];

const manager = USERS.manager.id;
// What components/dashboard/widgets.tsx asks for (lib/data/dashboard.ts, lib/data/stocks.ts).
const DASHBOARD_CALLS: { label: string; fn: string; args: Record<string, unknown> }[] = [
  { label: "dashboard_kpis", fn: "dashboard_kpis", args: { p_actor: manager } },
  { label: "dashboard_trend(30)", fn: "dashboard_trend", args: { p_days: 30, p_actor: manager } },
  { label: "dashboard_stock_breakdown", fn: "dashboard_stock_breakdown", args: { p_actor: manager } },
  { label: "dashboard_top_movers(30,10)", fn: "dashboard_top_movers", args: { p_days: 30, p_limit: 10, p_actor: manager } },
  { label: "dashboard_recent_activity(10)", fn: "dashboard_recent_activity", args: { p_limit: 10, p_actor: manager } },
  { label: "stocks_list(low, 8)", fn: "stocks_list", args: { p_low: true, p_page: 1, p_limit: 8, p_actor: manager } },
];

const runStarted = performance.now();
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

type Stats = { p50: number; p95: number; p99: number; n: number };
type Vitals = { lcp: number; cls: number; ttfb: number };
type Explain = { label: string; execMs: number; hit: number; read: number; seqScans: string[] };
type Phase = {
  label: string;
  rows: number;
  windowLines: number;
  loadMs: number;
  render: Record<PagePath, Stats>;
  sql: Record<string, Stats>;
  explain: Explain[];
  vitals: Record<PagePath, Vitals>;
  weights: Weight[];
};

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), n: s.length };
}

function loadavg(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(" ");
}

// ---------------------------------------------------------------------------------------------
// Server render: the whole HTML document, as a browser receives it
// ---------------------------------------------------------------------------------------------

function getPage(base: string, route: string, cookie: string): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${route}`, { headers: { cookie, accept: "text/html" }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${route} timed out after 30 s`)));
    req.on("error", reject);
    req.end();
  });
}

/** A render counts only if it is the page itself (not a redirect to /login) and no widget failed. */
async function renderOnce(base: string, route: PagePath, cookie: string, serverLog: string[]): Promise<number> {
  const failedBefore = widgetFailures(serverLog);
  const res = await getPage(base, route, cookie);
  if (res.status !== 200) fail(`GET ${route} answered ${res.status}`);
  if (route === "/dashboard" && !res.body.includes('data-testid="kpi-active-skus"')) fail("GET /dashboard: the KPI widget is missing from the HTML");
  if (widgetFailures(serverLog) > failedBefore) fail(`GET ${route}: a dashboard widget failed:\n${serverLog.join("").slice(-2000)}`);
  return res.ms;
}

function widgetFailures(serverLog: string[]): number {
  return serverLog.join("").split("dashboard.widget_failed").length - 1;
}

async function measureRender(base: string, route: PagePath, cookie: string, serverLog: string[]): Promise<Stats> {
  for (let i = 0; i < WARMUP; i++) await renderOnce(base, route, cookie, serverLog);
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) samples.push(await renderOnce(base, route, cookie, serverLog));
  return stats(samples);
}

// ---------------------------------------------------------------------------------------------
// The dashboard's SQL: raw timings and plans
// ---------------------------------------------------------------------------------------------

async function measureSql(pool: pg.Pool): Promise<Record<string, Stats>> {
  const out: Record<string, Stats> = {};
  for (const c of DASHBOARD_CALLS) {
    for (let i = 0; i < 2; i++) await rawCall(pool, c.fn, c.args);
    const samples: number[] = [];
    for (let i = 0; i < SQL_CALLS; i++) {
      const t = performance.now();
      await rawCall(pool, c.fn, c.args);
      samples.push(performance.now() - t);
    }
    out[c.label] = stats(samples);
  }
  return out;
}

/**
 * EXPLAIN of a plpgsql function shows one Result node; auto_explain (loaded for this transaction
 * only, superuser) sends the plans of the statements inside it back as notices.
 */
async function explainCall(client: pg.Client, label: string, fn: string, args: Record<string, unknown>): Promise<Explain> {
  const notices: string[] = [];
  const onNotice = (n: { message?: string }) => notices.push(n.message ?? "");
  await client.query("begin");
  try {
    await client.query("load 'auto_explain'");
    await client.query(
      `set local auto_explain.log_min_duration = 0; set local auto_explain.log_analyze = on;
       set local auto_explain.log_buffers = on; set local auto_explain.log_nested_statements = on;
       set local auto_explain.log_level = notice; set local client_min_messages = notice`,
    );
    const setup = sessionSetup(service);
    await client.query(setup.sql, setup.params);
    const call = functionCall(fn, args);
    client.on("notice", onNotice);
    const res = await client.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${call.sql}`, call.params);
    const plan = res.rows.map((r) => r["QUERY PLAN"]).join("\n");
    const buffers = /Buffers: shared( hit=(\d+))?( read=(\d+))?/.exec(plan);
    const seqScans = new Map<string, number>();
    for (const text of notices) {
      for (const m of text.matchAll(/Seq Scan on (\w+)[^\n]*?actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)/g)) {
        seqScans.set(m[1], (seqScans.get(m[1]) ?? 0) + Number(m[2]) * Number(m[3]));
      }
    }
    return {
      label,
      execMs: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN),
      hit: Number(buffers?.[2] ?? 0),
      read: Number(buffers?.[4] ?? 0),
      seqScans: [...seqScans].map(([table, rows]) => `${table} (${rows.toLocaleString("en")} rows)`),
    };
  } finally {
    client.off("notice", onNotice);
    await client.query("rollback").catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// The browser: LCP and CLS
// ---------------------------------------------------------------------------------------------

type VitalsState = { lcp: number; shifts: { t: number; v: number }[] };

/** Runs in the page before its own scripts: records LCP candidates and layout shifts. */
function observeVitals(): void {
  const state: VitalsState = { lcp: 0, shifts: [] };
  (window as unknown as { __benchVitals: VitalsState }).__benchVitals = state;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) state.lcp = e.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as unknown as { startTime: number; value: number; hadRecentInput: boolean }[]) {
      if (!e.hadRecentInput) state.shifts.push({ t: e.startTime, v: e.value });
    }
  }).observe({ type: "layout-shift", buffered: true });
}

/** CLS as Chrome defines it: the largest session window (gaps < 1 s, at most 5 s long). */
function clsOf(shifts: { t: number; v: number }[]): number {
  let worst = 0;
  let sum = 0;
  let start = -Infinity;
  let last = -Infinity;
  for (const s of [...shifts].sort((a, b) => a.t - b.t)) {
    if (s.t - last > 1000 || s.t - start > 5000) {
      sum = 0;
      start = s.t;
    }
    sum += s.v;
    last = s.t;
    worst = Math.max(worst, sum);
  }
  return worst;
}

async function vitalsOnce(browser: Browser, base: string, route: PagePath, cookie: string): Promise<Vitals> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const [name, ...rest] = cookie.split("; ")[0].split("=");
    await context.addCookies([{ name, value: rest.join("="), url: base }]);
    const page = await context.newPage();
    await page.addInitScript(observeVitals);
    const res = await page.goto(`${base}${route}`, { waitUntil: "load", timeout: 30_000 });
    if (!res || res.status() !== 200 || new URL(page.url()).pathname !== route) {
      fail(`Chromium: ${route} answered ${res?.status()} at ${page.url()}`);
    }
    await page.waitForLoadState("networkidle", { timeout: 15_000 }).catch(() => undefined);
    await sleep(300); // late shifts (fonts, charts sizing) land within a frame or two
    const v = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      return { ...(window as unknown as { __benchVitals: VitalsState }).__benchVitals, ttfb: nav?.responseStart ?? NaN };
    });
    return { lcp: v.lcp, cls: clsOf(v.shifts), ttfb: v.ttfb };
  } finally {
    await context.close();
  }
}

async function measureVitals(base: string, cookie: string): Promise<Record<PagePath, Vitals>> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const out = {} as Record<PagePath, Vitals>;
    for (const route of PAGES) {
      await vitalsOnce(browser, base, route, cookie); // warm-up: server caches, chromium's own start-up
      const runs: Vitals[] = [];
      for (let i = 0; i < BROWSER_RUNS; i++) runs.push(await vitalsOnce(browser, base, route, cookie));
      out[route] = { lcp: median(runs.map((r) => r.lcp)), cls: median(runs.map((r) => r.cls)), ttfb: median(runs.map((r) => r.ttfb)) };
      console.log(
        `  chromium ${route}: LCP ${runs.map((r) => fmt(r.lcp, 0)).join("/")} ms, CLS ${runs.map((r) => fmt(r.cls, 3)).join("/")}, ` +
          `TTFB ${runs.map((r) => fmt(r.ttfb, 0)).join("/")} ms`,
      );
    }
    return out;
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------
// One phase: load, serve, measure
// ---------------------------------------------------------------------------------------------

async function runPhase(url: URL, label: string, movements: number, weigh: boolean): Promise<Phase> {
  console.log(`\n== ${label}: ${ITEMS.toLocaleString("en")} items, ${movements.toLocaleString("en")} ledger rows (load average ${loadavg()})`);
  let t = performance.now();
  await recreateDatabase(url);
  console.log(`schema + seed: ${secs(performance.now() - t)}`);
  const load = await bulkLoad(url, { items: ITEMS, movements });
  console.log(`bulk load: ${secs(load.ms)} (${load.steps.map(([l, ms]) => `${l} ${secs(ms)}`).join("; ")})`);

  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  pools.push(pool);
  try {
    const sizes = await admin.query<{ items: string; moves: string; flows: string; window: string }>(
      `select (select count(*) from public.items) items, (select count(*) from public.stock_movements) moves,
              (select count(*) from public.flows) flows,
              (select count(*) from private.all_flow_lines fl join public.flows f on f.id = fl.flow_id
                where f.status = 'committed' and f.committed_at >= now() - interval '30 days') as window`,
    );
    const s = sizes.rows[0];
    console.log(`data: ${s.items} items, ${s.moves} ledger rows, ${s.flows} flows, ${s.window} flow lines committed in the last 30 days`);

    t = performance.now();
    const started = await startServer(url);
    console.log(`server ready in ${secs(started.readyMs)}`);
    const { cookie } = await signIn(started.base, USERS.manager.email, agent);
    if (!cookie.startsWith("duly_session=")) fail(`Login set no session cookie (got "${cookie.slice(0, 40)}")`);

    let weights: Weight[] = [];
    if (weigh) {
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
      try {
        weights = await measureWeights(browser, started.base, agent);
      } finally {
        await browser.close();
      }
    }
    if (WEIGHT_ONLY) {
      await stopServer();
      return { label, rows: Number(s.moves), windowLines: Number(s.window), loadMs: load.ms, render: {} as Phase["render"], sql: {}, explain: [], vitals: {} as Phase["vitals"], weights };
    }

    const render = {} as Record<PagePath, Stats>;
    for (const route of PAGES) {
      render[route] = await measureRender(started.base, route, cookie, started.output);
      const r = render[route];
      console.log(`  render ${route}: p50 ${fmt(r.p50)} / p95 ${fmt(r.p95)} / p99 ${fmt(r.p99)} ms (${r.n} sequential)`);
    }
    const sql = await measureSql(pool);
    for (const [name, r] of Object.entries(sql)) console.log(`  sql ${name}: p50 ${fmt(r.p50)} / p95 ${fmt(r.p95)} ms`);
    const explain: Explain[] = [];
    for (const c of DASHBOARD_CALLS) explain.push(await explainCall(admin, c.label, c.fn, c.args));
    const vitals = await measureVitals(started.base, cookie);
    await stopServer();
    return { label, rows: Number(s.moves), windowLines: Number(s.window), loadMs: load.ms, render, sql, explain, vitals, weights };
  } finally {
    await stopServer();
    await admin.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    pools.splice(pools.indexOf(pool), 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

function printComparison(small: Phase, large: Phase): void {
  const row = (label: string, a: string, b: string, note = "") => console.log(`${label.padEnd(46)}${a.padStart(20)}${b.padStart(20)}  ${note}`);
  const trio = (r: Stats) => `${fmt(r.p50)}/${fmt(r.p95)}/${fmt(r.p99)}`;
  const ratio = (a: number, b: number) => `x${fmt(b / a, 2)}`;
  console.log(`\n${"".padEnd(46)}${small.label.padStart(20)}${large.label.padStart(20)}  large / small`);
  row("ledger rows", small.rows.toLocaleString("en"), large.rows.toLocaleString("en"), ratio(small.rows, large.rows));
  row("flow lines committed in the last 30 days", small.windowLines.toLocaleString("en"), large.windowLines.toLocaleString("en"));
  for (const route of PAGES) {
    row(`render ${route} p50/p95/p99 ms`, trio(small.render[route]), trio(large.render[route]), `p95 ${ratio(small.render[route].p95, large.render[route].p95)}`);
  }
  for (const c of DASHBOARD_CALLS) {
    const a = small.sql[c.label];
    const b = large.sql[c.label];
    row(`sql ${c.label} p50/p95 ms`, `${fmt(a.p50)}/${fmt(a.p95)}`, `${fmt(b.p50)}/${fmt(b.p95)}`, `p50 ${ratio(a.p50, b.p50)}`);
  }
  for (const route of PAGES) {
    row(`chromium ${route} LCP ms (median)`, fmt(small.vitals[route].lcp, 0), fmt(large.vitals[route].lcp, 0));
    row(`chromium ${route} CLS (median)`, fmt(small.vitals[route].cls, 3), fmt(large.vitals[route].cls, 3));
  }

  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) with nested plans, ${large.label} (execution ms at ${small.label} for comparison)`);
  for (const e of large.explain) {
    const before = small.explain.find((x) => x.label === e.label);
    const ledgerScans = e.seqScans.filter((s) => LEDGER_TABLES.includes(s.split(" ")[0]));
    console.log(
      `  ${e.label.padEnd(32)} ${fmt(e.execMs, 2).padStart(8)} ms (${small.label}: ${fmt(before?.execMs ?? NaN, 2)} ms)  buffers hit ${e.hit} read ${e.read}` +
        `  seq scan on stock_movements: ${e.seqScans.some((s) => s.startsWith("stock_movements ")) ? "YES" : "no"}` +
        `${ledgerScans.length ? `; on ledger-sized tables: ${ledgerScans.join(", ")}` : ""}` +
        `${e.seqScans.length ? `\n${"".padEnd(36)}all seq scans: ${e.seqScans.join(", ")}` : ""}`,
    );
  }
}

function printTargets(small: Phase, large: Phase): void {
  const mark = (ok: boolean) => (ok ? "PASS" : "MISS");
  console.log(`\ntargets (at ${large.label})`);
  const d = large.render["/dashboard"];
  console.log(`  ${mark(d.p95 < TARGETS.renderP95Ms)}  /dashboard server render p95 < ${TARGETS.renderP95Ms} ms: ${fmt(d.p95)} ms (${small.label}: ${fmt(small.render["/dashboard"].p95)} ms)`);
  for (const route of PAGES) {
    const v = large.vitals[route];
    console.log(`  ${mark(v.lcp < TARGETS.lcpMs)}  ${route} LCP < ${TARGETS.lcpMs} ms: ${fmt(v.lcp, 0)} ms`);
    console.log(`  ${mark(v.cls < TARGETS.cls)}  ${route} CLS < ${TARGETS.cls}: ${fmt(v.cls, 3)}`);
  }
  const scans = large.explain
    .map((e) => ({ label: e.label, ledger: e.seqScans.filter((s) => LEDGER_TABLES.includes(s.split(" ")[0])) }))
    .filter((e) => e.ledger.length > 0);
  console.log(
    `  ${mark(scans.length === 0)}  no dashboard function scans a ledger-sized table (${LEDGER_TABLES.join(", ")}): ` +
      `${scans.length === 0 ? "none does" : scans.map((e) => `${e.label}: ${e.ledger.join(", ")}`).join("; ")}`,
  );
  const sum = (p: Phase) => DASHBOARD_CALLS.reduce((n, c) => n + p.sql[c.label].p50, 0);
  const growth = sum(large) / sum(small);
  console.log(
    `  ${mark(growth < 2)}  dashboard SQL does not grow with the ledger (sum of p50 at ${large.label} < 2 x ${small.label}): ` +
      `${fmt(sum(large))} vs ${fmt(sum(small))} ms, x${fmt(growth, 2)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) fail("run npm run build first");
  if (!existsSync(CHROMIUM)) fail(`No Chromium at ${CHROMIUM} (set BENCH_CHROMIUM).`);
  const url = checkUrl(DB_URL);
  console.log(
    `bench:pages: ${os.cpus().length} CPUs, load average ${loadavg()}; database ${url.host}${url.pathname}; ` +
      `${WARMUP} + ${REQUESTS} renders per page, ${SQL_CALLS} calls per function, ${BROWSER_RUNS} browser runs per page`,
  );
  try {
    const small = await runPhase(url, `${SMALL_LEDGER.toLocaleString("en")} rows`, SMALL_LEDGER, true);
    if (WEIGHT_ONLY) {
      console.log(`\ntargets (page weight, ${small.label})`);
      printWeightTargets(small.weights);
    } else {
      const large = await runPhase(url, `${LARGE_LEDGER.toLocaleString("en")} rows`, LARGE_LEDGER, false);
      printComparison(small, large);
      printTargets(small, large);
      printWeightTargets(small.weights);
    }
    console.log(`\nload average at the end ${loadavg()}`);
    console.log(`total run time ${secs(performance.now() - runStarted)}${KEEP ? `; database kept (BENCH_KEEP=1)` : ""}`);
  } finally {
    await cleanup();
    agent.destroy();
    if (!KEEP) await dropDatabase(url);
  }
}

runBench(main);
