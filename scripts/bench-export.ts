// npm run bench:export — the export benchmark of issue 13, on real Postgres at production scale:
// the whole 1,000,000-row ledger downloaded from the production server as CSV and as XLSX
// (GET /api/v1/ledger?format=…), next to `COPY (the same query) TO STDOUT` on the same data.
// Prints, per format, the time to the last byte, the size, the ratio to COPY and the server's
// peak RSS growth (VmRSS of the listening process, sampled every 20 ms, minus its value before the
// download), and PASS/MISS against the targets: CSV <= 2 x COPY, XLSX <= 6 x COPY, RSS growth
// <= 150 MB. Never fails on timing; exits 1 only when it cannot run or a download is wrong.
//
// Needs a production build (`npm run build`) and a local Postgres on which it may drop and
// recreate one database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/duly_bench_export;
// local hosts only, the name must contain "bench"; the bulk load needs a superuser).
// BENCH_KEEP=1 keeps the database afterwards; BENCH_REUSE=1 measures a kept one without reloading.
// BENCH_ROWS: ledger rows to load (default 1,000,000; e.g. 200000 for a profile of a smaller run).
// BENCH_ONLY=csv|xlsx measures one format of the ledger; BENCH_LISTS=0 leaves out the items and
// flows lists (printed after the ledger, with their ratio to COPY of the same query).

import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { checkUrl, cleanup, dropDatabase, fail, fmt, recreateDatabase, ROOT, runBench, secs, signIn, startServer } from "./bench/common";
import { bulkLoad } from "./bench/load";

const DB_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/duly_bench_export";
const KEEP = process.env.BENCH_KEEP === "1";
const REUSE = process.env.BENCH_REUSE === "1";
const SCALE = { items: 10_000, movements: Number(process.env.BENCH_ROWS) || 1_000_000 };
const FORMATS = (["csv", "xlsx"] as const).filter((f) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY === f);
const TARGETS = { csv: 2, xlsx: 6, rssMb: 150 };
const KOREAN = "korean@duly.test";

// The export's own query (public.ledger_export), all rows in one statement, for COPY.
const LEDGER_SQL = `select m.id, m.created_at, f.number, f.kind, i.sku, i.name_ko, l.code, m.delta, m.balance_after
  from public.stock_movements m
  join public.flows f on f.id = m.flow_id
  join public.items i on i.id = m.item_id
  join public.locations l on l.id = m.location_id
  order by m.id desc`;

const MB = 1024 * 1024;
const mark = (ok: boolean) => (ok ? "PASS" : "MISS");

/** The pid of the process listening on the server's port (next start's server process). */
async function listeningPid(base: string): Promise<number> {
  const port = new URL(base).port;
  const { stdout } = await promisify(execFile)("ss", ["-ltnpH", `sport = :${port}`]);
  const pid = /pid=(\d+)/.exec(stdout)?.[1];
  if (!pid) fail(`No process found listening on port ${port} (ss said: ${stdout.trim() || "nothing"})`);
  return Number(pid);
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return Number(/(\d+)/.exec(line ?? "")?.[1] ?? NaN) * 1024;
}

type Download = { ms: number; bytes: number; lines: number; head: Buffer; status: number; peakGrowth: number };

/** Downloads a URL to nowhere, counting bytes and newlines, while sampling the server's RSS. */
function download(base: string, route: string, token: string, pid: number): Promise<Download> {
  const before = rssBytes(pid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, 20);
  const started = performance.now();
  return new Promise<Download>((resolve, reject) => {
    const req = http.get(`${base}${route}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      let lines = 0;
      const head: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        if (bytes < 64) head.push(chunk.subarray(0, 64));
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on("end", () => {
        clearInterval(sampler);
        peak = Math.max(peak, rssBytes(pid));
        resolve({ ms: performance.now() - started, bytes, lines, head: Buffer.concat(head), status: res.statusCode ?? 0, peakGrowth: peak - before });
      });
      res.on("error", reject);
    });
    req.on("error", (e) => {
      clearInterval(sampler);
      reject(e);
    });
  });
}

/** COPY (the query) TO STDOUT through psql, output thrown away: the database alone. */
function copyTime(url: URL, sql = LEDGER_SQL): Promise<{ ms: number; bytes: number; lines: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("psql", [url.toString(), "-X", "-q", "-c", `copy (${sql}) to stdout with (format csv)`], { stdio: ["ignore", "pipe", "inherit"] });
    let bytes = 0;
    let lines = 0;
    child.stdout.on("data", (c: Buffer) => {
      bytes += c.length;
      for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve({ ms: performance.now() - started, bytes, lines }) : reject(new Error(`psql exited with ${code}`))));
  });
}

// Two lists read the way every list but the ledger is read (rows as json in 2,000-row batches,
// written in Node), at the size of the bench data: all 10,000 items, and the flows of the last
// 30 days, one row per line. Each next to COPY of the same query (its export function's joins
// and order, every row at once). No targets: the issue sets them for the ledger only.
const ITEMS_SQL = `select i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, e.code, i.barcode, i.reorder_point, i.unit_cost,
    coalesce(t.on_hand, 0), c.name, i.active, i.created_at, i.updated_at
  from public.items i
  left join public.item_stock_totals t on t.item_id = i.id
  left join public.engines e on e.id = i.engine_id
  left join public.customers c on c.id = i.customer_id
  order by i.sku`;
const flowsSql = (from: string) => `select f.number, f.kind, f.status, f.created_at, lf.code, lt.code, c.name, f.partner, f.reference, f.note,
    p.display_name, f.submitted_at, f.approved_at, f.committed_at, f.cancelled_at, coalesce(fl.line_no, 0), i.sku, i.name_ko, i.name_zh,
    i.name_en, i.unit, fl.qty
  from public.flows f
  left join lateral private.flow_lines_of(f.id, f.kind, f.status) fl on true
  left join public.items i on i.id = fl.item_id
  left join public.locations lf on lf.id = f.from_location_id
  left join public.locations lt on lt.id = f.to_location_id
  left join public.customers c on c.id = f.customer_id
  left join public.profiles p on p.id = f.created_by
  where f.created_at >= '${from}'::timestamptz
  order by f.created_at desc, f.number desc, coalesce(fl.line_no, 0)`;

/** The start of the Korean day 30 days ago, as an instant with its offset. */
function thirtyDaysAgo(): string {
  const seoul = new Date(Date.now() + 9 * 3600_000 - 30 * 86400_000).toISOString().slice(0, 10);
  return `${seoul}T00:00:00+09:00`;
}

async function otherLists(url: URL, base: string, token: string, pid: number): Promise<void> {
  const from = thirtyDaysAgo();
  const lists = [
    { name: "items (all)", route: "/api/v1/items?sort=sku", sql: ITEMS_SQL },
    { name: "flows (last 30 days, a row per line)", route: `/api/v1/flows?from=${encodeURIComponent(from)}`, sql: flowsSql(from) },
  ];
  console.log("\nother lists (rows as json in batches, written in Node):");
  for (const list of lists) {
    await copyTime(url, list.sql); // warm the pages
    const copy = await copyTime(url, list.sql);
    console.log(`  ${list.name}: ${copy.lines.toLocaleString("en-US")} rows; COPY ${secs(copy.ms)}, ${fmt(copy.bytes / MB)} MB`);
    for (const format of ["csv", "xlsx"] as const) {
      const d = await download(base, `${list.route}&format=${format}`, token, pid);
      if (d.status !== 200) fail(`${list.name} ${format}: HTTP ${d.status} ${d.head.toString("utf8")}`);
      if (format === "csv" && d.lines !== copy.lines + 1) fail(`${list.name} csv: ${d.lines} lines for ${copy.lines} rows and a header`);
      console.log(`    ${format}: ${secs(d.ms)}, ${fmt(d.bytes / MB)} MB, ${fmt(d.ms / copy.ms, 2)} x COPY, ${fmt((d.ms * 1000) / Math.max(1, copy.lines), 1)} us a row, server RSS +${fmt(d.peakGrowth / MB, 0)} MB`);
    }
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) fail("run npm run build first");
  const url = checkUrl(DB_URL);
  console.log(`bench:export: ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; database ${url.host}${url.pathname}`);
  try {
    if (!REUSE) {
      const t = performance.now();
      await recreateDatabase(url);
      const load = await bulkLoad(url, SCALE);
      console.log(`schema + seed + bulk load: ${secs(performance.now() - t)} (load ${secs(load.ms)})`);
    }
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    const rows = Number((await admin.query<{ n: string }>("select count(*)::text as n from public.stock_movements")).rows[0].n);
    await admin.query("vacuum analyze public.stock_movements");
    await admin.end();
    console.log(`ledger rows: ${rows.toLocaleString("en-US")}`);

    const server = await startServer(url);
    const pid = await listeningPid(server.base);
    const { token } = await signIn(server.base, KOREAN);
    console.log(`server ready in ${secs(server.readyMs)} (pid ${pid}, RSS ${fmt(rssBytes(pid) / MB, 0)} MB)`);

    // Warm-up: the export code paths and the data's pages in the database's cache.
    await download(server.base, "/api/v1/ledger?format=csv&from=2100-01-01", token, pid);
    await copyTime(url);

    const copy = await copyTime(url);
    console.log(`COPY (ledger query) TO STDOUT: ${secs(copy.ms)}, ${fmt(copy.bytes / MB)} MB`);
    const results: Record<"csv" | "xlsx", Download> = {} as never;
    for (const format of FORMATS) {
      const d = await download(server.base, `/api/v1/ledger?format=${format}`, token, pid);
      if (d.status !== 200) fail(`${format}: HTTP ${d.status} ${d.head.toString("utf8")}`);
      if (format === "csv" && d.lines !== rows + 1) fail(`csv: ${d.lines} lines for ${rows} rows and a header`);
      if (format === "xlsx" && d.head.subarray(0, 2).toString("latin1") !== "PK") fail("xlsx: not a zip file");
      results[format] = d;
      console.log(
        `GET /api/v1/ledger?format=${format}: ${secs(d.ms)}, ${fmt(d.bytes / MB)} MB, ${fmt(d.ms / copy.ms, 2)} x COPY, server RSS +${fmt(d.peakGrowth / MB, 0)} MB`,
      );
    }

    console.log("\ntargets:");
    for (const format of FORMATS) {
      const d = results[format];
      const ratio = d.ms / copy.ms;
      console.log(`  ${mark(ratio <= TARGETS[format])}  ${format.toUpperCase()} <= ${TARGETS[format]} x COPY: ${fmt(ratio, 2)} x (${secs(d.ms)} vs ${secs(copy.ms)})`);
      console.log(`  ${mark(d.peakGrowth / MB <= TARGETS.rssMb)}  ${format.toUpperCase()} server RSS growth <= ${TARGETS.rssMb} MB: ${fmt(d.peakGrowth / MB, 0)} MB`);
    }
    if (process.env.BENCH_LISTS !== "0") await otherLists(url, server.base, token, pid);
    console.log(`\nload average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  } finally {
    await cleanup();
    if (!KEEP) await dropDatabase(url);
  }
}

runBench(main);
