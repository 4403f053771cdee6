// npm run bench — the inventory benchmark of issue 3, on real Postgres at production scale:
// 10,000 items, 5 locations, 1,000,000 ledger rows. Measures p50/p95/p99 and throughput at 32
// concurrent connections for the item list, the low-stock list, a ledger page and the outbound
// create→submit→approve→commit cycle, through the HTTP API of the production build and as raw
// SQL function calls, and prints the ratio API/raw.
//
// Prints figures and PASS/MISS against the targets; never fails on timing. Exits 1 only when it
// cannot run, when a request failed, or when the stock invariant is violated.
//
// Needs a production build (`npm run build`) and a local Postgres on which it may drop and
// recreate one database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/duly_bench;
// local hosts only, and the database name must contain "bench"). The bulk load needs a
// superuser (it loads with triggers off, as a restore does).
//
// BENCH_SECONDS (10) measured per scenario, BENCH_WARMUP_SECONDS (3), BENCH_CONCURRENCY (32),
// BENCH_SINGLE_SECONDS (2) for the one-client pass that shows the cost of one request without
// queueing, BENCH_KEEP=1 keeps the database afterwards for inspection.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { applyShim, migrate, seed } from "@/lib/db/migrate";
import { clientExecutor } from "@/lib/db/postgres";
import { functionCall, sessionSetup } from "@/lib/db/sql-call";
import { service } from "@/lib/db/types";

const ROOT = path.resolve(path.dirname(process.argv[1] ?? "."), "..");
process.chdir(ROOT); // lib/db/migrate.ts reads supabase/ from the working directory

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duly_bench";
const DB_URL = process.env.BENCH_DATABASE_URL || DEFAULT_URL;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SINGLE_SECONDS = Number(process.env.BENCH_SINGLE_SECONDS ?? 2);
const KEEP = process.env.BENCH_KEEP === "1";

const SCALE = { items: 10_000, movements: 1_000_000, linesPerFlow: 500 };
const TARGETS = { readP95Ms: 50, commitRatio: 0.5 };
const APP_POOL_MAX = 10; // lib/db/postgres.ts createPool default, as lib/db/index.ts creates it
const READY_TIMEOUT_MS = 90_000;
// 40 characters; a fixed value, not a secret.
const JWT_SECRET = "bench-inventory-secret-0123456789-abcdefg";

const USERS = {
  korean: { id: "a0000000-0000-4000-8000-000000000003", email: "korean@duly.test" },
  manager: { id: "a0000000-0000-4000-8000-000000000002", email: "manager@duly.test" },
};
const PASSWORD = "duly-demo-pass";

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const runStarted = performance.now();
let server: ChildProcess | undefined;
const pools: pg.Pool[] = [];
let exiting = false;

/** Stops the run: prints the message; main's handlers clean up and exit 1. */
class BenchFailure extends Error {}

function fail(message: string): never {
  throw new BenchFailure(message);
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : "-";
}

function pick<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(`BENCH_DATABASE_URL is not a URL: ${raw}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const socketHost = url.searchParams.get("host") ?? "";
  const local = ["localhost", "127.0.0.1", "::1"].includes(host) || (host === "" && socketHost.startsWith("/"));
  if (!local) fail(`Refusing to run against a non-local database host (${host || socketHost}): the benchmark drops and recreates it.`);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!/^[a-z0-9_]+$/.test(name) || !name.includes("bench")) {
    fail(`Refusing database name "${name}": it is dropped and recreated, so it must contain "bench" (letters, digits, _).`);
  }
  return url;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Machine-wide CPU time, to report how busy the box was during a scenario. */
function cpuTimes(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

async function cleanup(): Promise<void> {
  if (exiting) return;
  exiting = true;
  if (server?.pid && server.exitCode === null) {
    try {
      process.kill(-server.pid, "SIGTERM"); // the whole process group: next start and its workers
    } catch {
      /* already gone */
    }
    const exited = new Promise((r) => server!.once("exit", r));
    await Promise.race([exited, sleep(5000)]);
    if (server.exitCode === null && server.signalCode === null) {
      try {
        process.kill(-server.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// 1. Database: recreate, migrate, seed
// ---------------------------------------------------------------------------------------------

async function recreateDatabase(url: URL): Promise<void> {
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    const exec = clientExecutor(db);
    await applyShim(exec);
    await migrate(exec);
    await seed(exec);
  } finally {
    await db.end();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Bulk load, set-based, consistent with the invariants
// ---------------------------------------------------------------------------------------------
// Per (item, location) the movements go in rounds: three inbounds, then an outbound of at most
// half the inbound before it, and so on, so every running balance stays >= 0. Each round at
// each location is a set of committed flows of up to 500 lines (created and submitted by the
// Korean team, approved and committed by the manager), each line one ledger row whose
// balance_after is the running balance. Stock and item totals are the sums of the ledger.
// Triggers are off for the load (session_replication_role = replica, as pg_restore does): the
// audit log would otherwise get a row per line, and a foreign-key check per row of the 2M
// inserted adds time. ~3% of the items get a reorder point above their stock (low stock).

async function bulkLoad(url: URL): Promise<{ ms: number; steps: [string, number][] }> {
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
    const newItems = SCALE.items - Number(counts.rows[0].items);
    const newMoves = SCALE.movements - Number(counts.rows[0].moves);
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
       create temp table bench_flow on commit drop as
         select g.*, gen_random_uuid() as id,
                case when g.k % 4 = 3 then 'outbound' else 'inbound' end as kind,
                now() - interval '366 days' + (g.seq - 1) * (interval '364 days' / g.n) as t
         from (
           select k, loc_no, chunk, row_number() over (order by k, loc_no, chunk) as seq, count(*) over () as n
           from (select distinct k, loc_no, (idx - 1) / ${SCALE.linesPerFlow} as chunk from bench_mv) d
         ) g;
       alter table bench_flow add column number text;
       update bench_flow f set number = x.number
       from (
         select b.id, format('%s-%s-%s', p.prefix, p.year,
                  lpad((coalesce(c.last_value, 0) + row_number() over (partition by p.prefix, p.year order by b.seq))::text, 6, '0')) as number
         from bench_flow b
         cross join lateral (select case b.kind when 'inbound' then 'IN' else 'OUT' end as prefix,
                                    extract(year from b.t at time zone 'Asia/Seoul')::int as year) p
         left join private.flow_counters c on c.prefix = p.prefix and c.year = p.year
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
              case when i.idx % 33 = 0 then t.total + 10 + i.idx % 90 else round(t.total / 5) end,
              1000 + (i.idx * 7919) % 400000,
              now() - interval '400 days', now() - interval '400 days'
       from bench_item i
       join (select idx, sum(delta) as total from bench_mv group by idx) t on t.idx = i.idx`,
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
         select gen_random_uuid() as line_id, f.id as flow_id, f.seq, (m.idx - 1) % ${SCALE.linesPerFlow} + 1 as line_no,
                i.id as item_id, l.id as location_id, m.delta, m.balance, f.t
         from bench_mv m
         join bench_flow f on f.k = m.k and f.loc_no = m.loc_no and f.chunk = (m.idx - 1) / ${SCALE.linesPerFlow}
         join bench_item i on i.idx = m.idx
         join bench_loc l on l.no = m.loc_no`,
    );
    await step(
      "flow_lines",
      `insert into public.flow_lines (id, flow_id, line_no, item_id, qty, created_at, updated_at)
       select line_id, flow_id, line_no, item_id, abs(delta), t, t from bench_line order by seq, line_no`,
    );
    await step(
      "stock_movements",
      `insert into public.stock_movements (flow_id, flow_line_id, item_id, location_id, delta, balance_after, actor_id, created_at)
       select flow_id, line_id, item_id, location_id, delta, balance, $1, t + interval '3 hours' from bench_line order by seq, line_no`,
      [USERS.manager.id],
    );
    await step(
      "stocks, item totals, flow counters",
      `insert into public.stocks (item_id, location_id, on_hand, updated_at)
         select i.id, l.id, sum(m.delta), now() - interval '1 day'
         from bench_mv m join bench_item i on i.idx = m.idx join bench_loc l on l.no = m.loc_no
         group by i.id, l.id;
       insert into public.item_stock_totals (item_id, on_hand, updated_at)
         select i.id, sum(m.delta), now() - interval '1 day'
         from bench_mv m join bench_item i on i.idx = m.idx group by i.id;
       insert into private.flow_counters (prefix, year, last_value)
         select split_part(number, '-', 1), split_part(number, '-', 2)::int, max(split_part(number, '-', 3)::int)
         from public.flows group by 1, 2
       on conflict (prefix, year) do update set last_value = greatest(private.flow_counters.last_value, excluded.last_value);`,
    );
    await step("commit", "commit");
    // Autovacuum may be off (it is on the CI box) or late: vacuum now so the benchmark reads
    // an all-visible heap, as a production table at rest would be, and has fresh statistics.
    await step(
      "vacuum analyze",
      "vacuum (analyze) public.stock_movements, public.flow_lines, public.flows, public.items, public.stocks, public.item_stock_totals, public.locations, private.flow_counters",
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

async function invariantViolations(client: pg.Client): Promise<unknown[]> {
  // security definer, granted to service_role; run as the service role, as the server would.
  await client.query("begin");
  try {
    await client.query(sessionSetup(service).sql, sessionSetup(service).params);
    const res = await client.query<{ r: { violations: unknown[] } }>("select public.stock_invariant_violations() as r");
    return res.rows[0].r.violations;
  } finally {
    await client.query("rollback");
  }
}

// ---------------------------------------------------------------------------------------------
// 3. The app
// ---------------------------------------------------------------------------------------------

async function startServer(url: URL): Promise<{ base: string; readyMs: number; output: string[] }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ["NEXT_PUBLIC_SUPABASE_URL", "NEXT_PUBLIC_SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY", "PORT", "HOSTNAME"]) {
    delete env[key];
  }
  Object.assign(env, {
    NODE_ENV: "production",
    DATABASE_URL: url.toString(),
    AUTH_JWT_SECRET: JWT_SECRET,
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    // The benchmark writes far faster than one person may (docs/security.md): no write limit.
    RATE_LIMIT_WRITES_PER_MINUTE: "0",
  });
  const output: string[] = [];
  const started = performance.now();
  server = spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env,
    detached: true, // its own process group, so that stopping it stops its workers too
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  server.stdout?.on("data", keep);
  server.stderr?.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  while (performance.now() - started < READY_TIMEOUT_MS) {
    if (server.exitCode !== null) break;
    try {
      const res = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return { base, readyMs: performance.now() - started, output };
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  console.error(output.join("").slice(-4000));
  fail(`The server did not become ready (exit code ${server.exitCode}).`);
}

// ---------------------------------------------------------------------------------------------
// 4. Load generation
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

/** The parts of an API answer the benchmark reads. */
type ApiBody = {
  data?: { id?: string; session?: { access_token?: string } };
  error?: { code?: string; message?: string };
  raw?: string;
} | null;

function httpJson(base: string, method: string, route: string, token?: string, body?: unknown): Promise<{ status: number; json: ApiBody }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${route}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: ApiBody = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = { raw: text.slice(0, 200) };
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
      res.on("error", reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error("timed out after 30 s")));
    req.on("error", reject);
    req.end(payload);
  });
}

async function api(base: string, method: string, route: string, token: string, body?: unknown): Promise<ApiBody> {
  const res = await httpJson(base, method, route, token, body);
  if (res.status >= 400) {
    const e = res.json?.error;
    throw new Error(`${method} ${route.replace(/[0-9a-f-]{36}/g, ":id")} → ${res.status} ${e?.code ?? ""} ${e?.message ?? JSON.stringify(res.json).slice(0, 200)}`);
  }
  return res.json;
}

async function login(base: string, email: string): Promise<string> {
  const res = await httpJson(base, "POST", "/api/v1/auth/login", undefined, { email, password: PASSWORD });
  const token = res.json?.data?.session?.access_token;
  if (res.status !== 200 || typeof token !== "string") fail(`Login as ${email} failed: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
  return token;
}

/** What PostgresTransport.rpc runs: one transaction, role and claims set locally, the function. */
async function rawCall(pool: pg.Pool, fn: string, args: Record<string, unknown>): Promise<unknown> {
  const setup = sessionSetup(service);
  const call = functionCall(fn, args);
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query(setup.sql, setup.params);
    const res = await client.query<{ result: unknown }>(call.sql, call.params);
    await client.query("commit");
    return res.rows[0]?.result ?? null;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    const e = error as { code?: string; message?: string; detail?: string };
    throw new Error(`${fn}: ${e.code ?? ""} ${e.message ?? ""} ${e.detail ?? ""}`.trim());
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

const HEADER = `${"scenario".padEnd(52)}${"rate".padStart(10)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"p99 ms".padStart(9)}${"errors".padStart(8)}${"cpu%".padStart(6)}`;

function printResult(r: Result): void {
  const unit = r.label.includes("cycle") ? "cyc/s" : "req/s";
  let line =
    `${r.label.padEnd(52)}${`${fmt(r.rate)} ${unit}`.padStart(10)}${fmt(r.p50).padStart(9)}${fmt(r.p95).padStart(9)}` +
    `${fmt(r.p99).padStart(9)}${String(r.errors).padStart(8)}${fmt(r.cpu, 0).padStart(6)}`;
  if (r.appConns) line += `   app pool busy: mean ${fmt(r.appConns.busyMean)}/${APP_POOL_MAX}, full ${fmt(r.appConns.saturated, 0)}% of samples`;
  console.log(line);
  for (const s of r.errorSamples) console.log(`    error: ${s}`);
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) fail("run npm run build first");
  const url = checkUrl(DB_URL);
  const dbName = decodeURIComponent(url.pathname.slice(1));
  console.log(
    `bench: ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; database ${url.host}/${dbName}; ` +
      `${CONCURRENCY} concurrent, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per scenario`,
  );

  // 1 + 2: database
  let t = performance.now();
  await recreateDatabase(url);
  console.log(`schema + seed: ${secs(performance.now() - t)}`);
  const load = await bulkLoad(url);
  console.log(`bulk load: ${secs(load.ms)} (${load.steps.map(([l, ms]) => `${l} ${secs(ms)}`).join("; ")})`);

  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const sizes = await admin.query<{ items: string; locations: string; moves: string; flows: string; low: string; db: string }>(
      `select (select count(*) from public.items) items, (select count(*) from public.locations) locations,
              (select count(*) from public.stock_movements) moves, (select count(*) from public.flows) flows,
              (select count(*) from public.items i left join public.item_stock_totals t on t.item_id = i.id
                where i.active and i.reorder_point > 0 and coalesce(t.on_hand, 0) < i.reorder_point) low,
              pg_size_pretty(pg_database_size(current_database())) db`,
    );
    const s = sizes.rows[0];
    console.log(`data: ${s.items} items, ${s.locations} locations, ${s.moves} ledger rows, ${s.flows} flows, ${s.low} items low; database ${s.db}`);
    t = performance.now();
    const before = await invariantViolations(admin);
    console.log(`invariant before: ${before.length} violations (${secs(performance.now() - t)})`);
    if (before.length > 0) {
      console.log(JSON.stringify(before.slice(0, 5)));
      fail("The loaded data violates the stock invariant; not measuring.");
    }

    // Inputs: items with history, and (item, location) with enough stock for many 1-unit outbounds.
    const itemIds = (await admin.query<{ id: string }>("select item_id as id from public.item_stock_totals where on_hand > 0")).rows.map((r) => r.id);
    const stocked = (
      await admin.query<{ item_id: string; location_id: string }>("select item_id, location_id from public.stocks where on_hand >= 100")
    ).rows;
    const pages = Math.ceil(Number(s.items) / 20);

    // 3: the app
    const started = await startServer(url);
    console.log(`server ready in ${secs(started.readyMs)} at ${started.base} (DATABASE_URL pool max ${APP_POOL_MAX})`);
    const base = started.base;
    const korean = await login(base, USERS.korean.email);
    const manager = await login(base, USERS.manager.email);

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

    // Ratios and targets
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
    console.log(
      `  raw pool of ${APP_POOL_MAX} vs ${CONCURRENCY}: items ${fmt(raw10Items.rate / rawItems.rate, 2)}, cycle ${fmt(raw10Cycle.rate / rawCycle.rate, 2)} (throughput ratio)`,
    );

    const after = await invariantViolations(admin);
    const all = [apiItems, apiLow, apiLedger, apiCycle, rawItems, rawLow, rawLedger, rawCycle, raw10Items, raw10Cycle, ...single];
    const errors = all.reduce((n, r) => n + r.errors, 0);
    const mark = (okay: boolean) => (okay ? "PASS" : "MISS");
    const commitRatio = apiCycle.rate / rawCycle.rate;
    console.log("\ntargets");
    for (const r of [apiItems, apiLow, apiLedger]) {
      console.log(`  ${mark(r.p95 < TARGETS.readP95Ms)}  read p95 < ${TARGETS.readP95Ms} ms via the API: ${r.label.slice(5)} ${fmt(r.p95)} ms`);
    }
    console.log(
      `  ${mark(commitRatio >= TARGETS.commitRatio)}  commit cycle throughput via the API >= ${TARGETS.commitRatio} x raw SQL: ${fmt(commitRatio, 2)} x (${fmt(apiCycle.rate)} vs ${fmt(rawCycle.rate)} cycles/s)`,
    );
    console.log(`  ${mark(errors === 0)}  zero errors: ${errors}`);
    console.log(`  ${mark(after.length === 0)}  stock invariant holds afterwards: ${after.length} violations`);
    if (after.length > 0) console.log(JSON.stringify(after.slice(0, 5)));
    console.log(`\nload average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    console.log(`total run time ${secs(performance.now() - runStarted)}${KEEP ? `; database ${dbName} kept (BENCH_KEEP=1)` : ""}`);
    process.exitCode = errors > 0 || after.length > 0 ? 1 : 0;
  } finally {
    await admin.end().catch(() => undefined);
    await cleanup();
    agent.destroy();
    if (!KEEP) {
      const maint = new URL(url);
      maint.pathname = "/postgres";
      const c = new pg.Client({ connectionString: maint.toString() });
      await c.connect();
      await c.query(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
      await c.end();
    }
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  async (error) => {
    if (error instanceof BenchFailure) console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await cleanup();
    process.exit(1);
  },
);
