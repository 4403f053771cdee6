// Shared by the real-Postgres benchmarks (scripts/bench.ts, scripts/bench-pages.ts): the bench
// database (guarded: local host, a name with "bench"), the production server against it, sign-in,
// raw function calls as the server makes them, percentiles and cleanup.

import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { applyShim, migrate, seed } from "@/lib/db/migrate";
import { clientExecutor } from "@/lib/db/postgres";
import { oneTripCall, oneTripResult, sessionSetup } from "@/lib/db/sql-call";
import { service } from "@/lib/db/types";

// Both scripts live in scripts/, so the repository is the parent of the started script's folder.
export const ROOT = path.resolve(path.dirname(process.argv[1] ?? "."), "..");
process.chdir(ROOT); // lib/db/migrate.ts reads supabase/ from the working directory

export const DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/duly_bench";
export const APP_POOL_MAX = 10; // lib/db/postgres.ts createPool default, as lib/db/index.ts creates it
const READY_TIMEOUT_MS = 90_000;
// 40 characters; a fixed value, not a secret.
const JWT_SECRET = "bench-inventory-secret-0123456789-abcdefg";

export { USERS } from "./session";
const PASSWORD = "duly-demo-pass";

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** Stops the run: the script's main prints the message, cleans up and exits 1. */
export class BenchFailure extends Error {}

export function fail(message: string): never {
  throw new BenchFailure(message);
}

export function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : "-";
}

export function pick<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export function checkUrl(raw: string): URL {
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
export function cpuTimes(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** A Postgres backend's time on a CPU so far, in ms (first field of its schedstat, in ns; Linux, same machine). */
export function backendCpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
}

/**
 * Runs a benchmark's main: exits with its exit code, or, when it throws, prints why (a
 * BenchFailure's message alone), cleans up and exits 1.
 */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    async (error) => {
      if (error instanceof BenchFailure) console.error(error.message);
      else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      await cleanup();
      process.exit(1);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// What has to be stopped on exit
// ---------------------------------------------------------------------------------------------

let server: ChildProcess | undefined;
/** Pools a script opens; cleanup() ends those still open. */
export const pools: pg.Pool[] = [];
let exiting = false;

export async function stopServer(): Promise<void> {
  const s = server;
  server = undefined;
  if (!s?.pid || s.exitCode !== null || s.signalCode !== null) return;
  try {
    process.kill(-s.pid, "SIGTERM"); // the whole process group: next start and its workers
  } catch {
    /* already gone */
  }
  const exited = new Promise((r) => s.once("exit", r));
  await Promise.race([exited, sleep(5000)]);
  if (s.exitCode === null && s.signalCode === null) {
    try {
      process.kill(-s.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}

export async function cleanup(): Promise<void> {
  if (exiting) return;
  exiting = true;
  await stopServer();
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// The database: recreate, migrate, seed; drop
// ---------------------------------------------------------------------------------------------

function maintenanceUrl(url: URL): string {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  return admin.toString();
}

export async function recreateDatabase(url: URL): Promise<void> {
  const name = decodeURIComponent(url.pathname.slice(1));
  const client = new pg.Client({ connectionString: maintenanceUrl(url) });
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

export async function dropDatabase(url: URL): Promise<void> {
  const c = new pg.Client({ connectionString: maintenanceUrl(url) });
  await c.connect();
  await c.query(`drop database if exists "${decodeURIComponent(url.pathname.slice(1))}" with (force)`).catch(() => undefined);
  await c.end();
}

export async function invariantViolations(client: pg.Client): Promise<unknown[]> {
  // security definer, granted to service_role; run as the service role, as the server would.
  await client.query("begin");
  try {
    // It reads the whole ledger (by design: it is the check, not a hot path): no 8 s limit.
    const setup = sessionSetup(service, 600_000);
    await client.query(setup.sql, setup.params);
    const res = await client.query<{ r: { violations: unknown[] } }>("select public.stock_invariant_violations() as r");
    return res.rows[0].r.violations;
  } finally {
    await client.query("rollback");
  }
}

/**
 * What PostgresTransport.rpc runs, without the app around it: one transaction, role and claims
 * set locally, the function, sent as one query string (lib/db/sql-call.ts oneTripCall). The raw
 * baseline uses the same single round trip as the app, so API/raw measures the app's own cost.
 */
export async function rawCall(pool: pg.Pool, fn: string, args: Record<string, unknown>): Promise<unknown> {
  const client = await pool.connect();
  try {
    return oneTripResult((await client.query(oneTripCall(fn, args, service))) as unknown as pg.QueryResult[]);
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    const e = error as { code?: string; message?: string; detail?: string };
    throw new Error(`${fn}: ${e.code ?? ""} ${e.message ?? ""} ${e.detail ?? ""}`.trim());
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------------------------
// The app: the production build (`next start`) against the bench database
// ---------------------------------------------------------------------------------------------

export async function startServer(url: URL): Promise<{ base: string; readyMs: number; output: string[] }> {
  if (server) fail("A bench server is already running.");
  // BENCH_PORT: a fixed port (where the machine's ports are shared out), else any free one.
  const port = Number(process.env.BENCH_PORT) || (await freePort());
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
    // The benchmark reads and writes far faster than one person may (docs/security.md): no limits.
    RATE_LIMIT_WRITES_PER_MINUTE: "0",
    RATE_LIMIT_READS_PER_MINUTE: "0",
  });
  const output: string[] = [];
  const started = performance.now();
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env,
    detached: true, // its own process group, so that stopping it stops its workers too
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = child;
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  while (performance.now() - started < READY_TIMEOUT_MS) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return { base, readyMs: performance.now() - started, output };
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  console.error(output.join("").slice(-4000));
  fail(`The server did not become ready (exit code ${child.exitCode}).`);
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

/** The parts of an API answer the benchmarks read. */
export type ApiBody = {
  data?: { id?: string; session?: { access_token?: string } };
  error?: { code?: string; message?: string };
  raw?: string;
} | null;

export function httpJson(
  base: string,
  method: string,
  route: string,
  token?: string | { cookie: string },
  body?: unknown,
  agent?: http.Agent,
): Promise<{ status: number; json: ApiBody; headers: http.IncomingHttpHeaders }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { accept: "application/json" };
  // A bearer token, or the session cookie as the web app sends it.
  if (typeof token === "string") headers.authorization = `Bearer ${token}`;
  else if (token) headers.cookie = token.cookie;
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
        resolve({ status: res.statusCode ?? 0, json, headers: res.headers });
      });
      res.on("error", reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error("timed out after 30 s")));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Signs in a demo user: the bearer token and the session cookie (`name=value`) the server set. */
export async function signIn(base: string, email: string, agent?: http.Agent): Promise<{ token: string; cookie: string }> {
  const res = await httpJson(base, "POST", "/api/v1/auth/login", undefined, { email, password: PASSWORD }, agent);
  const token = res.json?.data?.session?.access_token;
  if (res.status !== 200 || typeof token !== "string") fail(`Login as ${email} failed: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
  const cookie = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  return { token, cookie };
}
