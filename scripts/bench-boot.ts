// npm run bench:boot — boot speed and idle memory of the production build in embedded mode,
// against the targets in issue 2: first start (migrate + seed) to ready < 10 s, warm restart
// < 3 s, server RSS at idle < 350 MB. Prints figures; exits 0 unless it cannot run at all.
//
// Needs a production build (`npm run build`). Each server runs in its own process group on a
// free loopback port with a fresh DATA_DIR, and is killed (the whole group) when done.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const ROOT = path.resolve(path.dirname(process.argv[1] ?? "."), "..");
const RUNS = 3;
const READY_TIMEOUT_MS = 90_000;
const TARGETS = { firstStartMs: 10_000, warmRestartMs: 3_000, idleRssMb: 350 };
const DEMO = { email: "admin@duly.test", password: "duly-demo-pass" };
// 40 characters, fixed so that restarts keep sessions (the value is not a secret).
const JWT_SECRET = "bench-boot-secret-0123456789-abcdefghijk";

type Server = { child: ChildProcess; port: number; output: string[]; exited: Promise<number | null> };

const running = new Set<Server>();
const tempDirs: string[] = [];

function fail(message: string): never {
  console.error(message);
  process.exit(1);
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

/** The server's environment: embedded mode whatever the caller's shell has configured. */
function serverEnv(dataDir: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ["DATABASE_URL", "NEXT_PUBLIC_SUPABASE_URL", "NEXT_PUBLIC_SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY", "PORT", "HOSTNAME"]) {
    delete e[key];
  }
  return {
    ...e,
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: JWT_SECRET,
    LOG_LEVEL: "warn",
    SEED_DEMO_DATA: "true",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

/**
 * readyMs: spawn to /health/ready 200; listeningMs: spawn to the first HTTP answer of any kind;
 * cpuMs: CPU time the server used until ready (less sensitive than wall time to a busy machine).
 */
async function startServer(dataDir: string): Promise<{ server: Server; readyMs: number; listeningMs: number; cpuMs: number }> {
  const port = await freePort();
  const output: string[] = [];
  const started = performance.now();
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: serverEnv(dataDir),
    detached: true, // its own process group, so that stopping it stops its workers too
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const server: Server = { child, port, output, exited };
  running.add(server);

  let dead = false;
  let listeningMs: number | undefined;
  void exited.then(() => (dead = true));
  while (performance.now() - started < READY_TIMEOUT_MS) {
    if (dead) break;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      const now = performance.now() - started;
      listeningMs ??= now;
      if (res.status === 200) return { server, readyMs: now, listeningMs, cpuMs: cpuMsOf(processTree(child.pid!)) };
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  await stopServer(server);
  fail(
    `The server on port ${port} ${dead ? "exited" : `was not ready within ${READY_TIMEOUT_MS / 1000} s`} ` +
      `(DATA_DIR ${dataDir}). Its last output:\n${output.join("").split("\n").slice(-40).join("\n")}`,
  );
}

function killGroup(server: Server, signal: NodeJS.Signals): void {
  if (server.child.pid === undefined) return;
  try {
    process.kill(-server.child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopServer(server: Server): Promise<void> {
  if (!running.has(server)) return;
  killGroup(server, "SIGTERM");
  const done = await Promise.race([server.exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!done) {
    killGroup(server, "SIGKILL");
    await server.exited;
  }
  // Workers that outlive the parent would share the group: make sure none is left.
  killGroup(server, "SIGKILL");
  running.delete(server);
}

function cleanupSync(): void {
  for (const server of running) killGroup(server, "SIGKILL");
  running.clear();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.on("exit", cleanupSync);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    cleanupSync();
    process.exit(130);
  });
}

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "duly-bench-"));
  tempDirs.push(dir);
  return dir;
}

/** pid and every descendant (Next may run the server in a child process). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${out[i]}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        const children = readFileSync(`/proc/${out[i]}/task/${task}/children`, "utf8").trim();
        for (const c of children.split(/\s+/).filter(Boolean)) out.push(Number(c));
      } catch {
        // task ended
      }
    }
  }
  return [...new Set(out)];
}

/** utime + stime of the processes (all their threads), in ms; /proc/<pid>/stat counts 100 ticks a second. */
function cpuMsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks * 10;
}

function statusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function pssKb(pid: number): number | null {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ").slice(0, 80);
  } catch {
    return "?";
  }
}

const mb = (kb: number) => kb / 1024;
const fmtMs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const verdict = (value: number, target: number) => (value < target ? "PASS" : "MISS");

async function signInAndBrowse(port: number): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(DEMO),
  });
  const loginBody = await login.text();
  if (login.status !== 200) fail(`Login as ${DEMO.email} answered ${login.status}: ${loginBody.slice(0, 300)}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${base}/dashboard`, { headers: { Cookie: cookie }, redirect: "manual" });
    await res.arrayBuffer();
    if (res.status !== 200) fail(`GET /dashboard as ${DEMO.email} answered ${res.status}`);
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    fail(`No production build in ${path.join(ROOT, ".next")}. Run \`npm run build\` first, then \`npm run bench:boot\`.`);
  }
  if (!existsSync(path.join(ROOT, "node_modules", ".bin", "next"))) fail("node_modules/.bin/next is missing. Run `npm ci` first.");
  if (process.platform !== "linux") console.warn("Memory is read from /proc: figures need Linux.");

  console.log(`Duly ERP boot benchmark: production build ${readFileSync(path.join(ROOT, ".next", "BUILD_ID"), "utf8").trim()}, embedded mode, node ${process.version}`);
  const load = (() => {
    try {
      return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    } catch {
      return null;
    }
  })();
  if (load) console.log(`  load average ${load} on ${availableParallelism()} CPUs (a busy machine inflates the wall times; CPU times less so)`);

  // (a) first start: a fresh data folder each time, so migrate + seed are included.
  const first: number[] = [];
  let warmDir = "";
  for (let i = 0; i < RUNS; i++) {
    const dir = await freshDir();
    const { server, readyMs, listeningMs, cpuMs } = await startServer(dir);
    if (i === 0) {
      const healthz = (await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json()) as { mode?: string; engine?: { schema?: string } };
      console.log(`  mode ${healthz.mode}, schema ${healthz.engine?.schema}`);
      if (healthz.mode !== "embedded") console.warn(`  warning: the build runs in ${healthz.mode} mode (NEXT_PUBLIC_ variables inlined at build time?)`);
    }
    first.push(readyMs);
    console.log(`  first start ${i + 1}/${RUNS}: ${fmtMs(readyMs)} to /health/ready (HTTP answering after ${fmtMs(listeningMs)}, CPU ${fmtMs(cpuMs)})`);
    await stopServer(server);
    warmDir = dir;
  }

  // (b) warm restart on an existing data folder.
  const warm: number[] = [];
  let last: Server | undefined;
  for (let i = 0; i < RUNS; i++) {
    const { server, readyMs, listeningMs, cpuMs } = await startServer(warmDir);
    warm.push(readyMs);
    console.log(`  warm restart ${i + 1}/${RUNS}: ${fmtMs(readyMs)} to /health/ready (HTTP answering after ${fmtMs(listeningMs)}, CPU ${fmtMs(cpuMs)})`);
    if (i < RUNS - 1) await stopServer(server);
    else last = server;
  }

  // (c) memory at idle after a little real use.
  await signInAndBrowse(last!.port);
  await sleep(5_000);
  const pids = processTree(last!.child.pid!);
  let rssKb = 0;
  let pssTotal: number | null = 0;
  console.log("  idle server processes:");
  for (const pid of pids) {
    const rss = statusKb(pid, "VmRSS");
    const pss = pssKb(pid);
    rssKb += rss;
    pssTotal = pss === null || pssTotal === null ? null : pssTotal + pss;
    console.log(`    pid ${pid}: RSS ${mb(rss).toFixed(1)} MB${pss === null ? "" : `, PSS ${mb(pss).toFixed(1)} MB`}  ${commandOf(pid)}`);
  }
  await stopServer(last!);

  const rows: [string, string, string, string][] = [
    ["first start (migrate + seed) to ready", `p50 ${fmtMs(median(first))}, max ${fmtMs(Math.max(...first))}`, `< ${fmtMs(TARGETS.firstStartMs)}`, verdict(Math.max(...first), TARGETS.firstStartMs)],
    ["warm restart to ready", `p50 ${fmtMs(median(warm))}, max ${fmtMs(Math.max(...warm))}`, `< ${fmtMs(TARGETS.warmRestartMs)}`, verdict(Math.max(...warm), TARGETS.warmRestartMs)],
    [
      `idle RSS (${pids.length} process${pids.length === 1 ? "" : "es"})`,
      `${mb(rssKb).toFixed(1)} MB${pssTotal === null ? "" : ` (PSS ${mb(pssTotal).toFixed(1)} MB)`}`,
      `< ${TARGETS.idleRssMb} MB`,
      verdict(mb(rssKb), TARGETS.idleRssMb),
    ],
  ];
  console.log("\nResults (PASS when the worst run meets the target):");
  const width = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(`  ${r[0].padEnd(width[0])}  ${r[1].padEnd(width[1])}  target ${r[2].padEnd(width[2])}  ${r[3]}`);
}

main()
  .catch((error: unknown) => {
    cleanupSync();
    fail(`bench-boot failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  })
  .finally(async () => {
    for (const server of [...running]) await stopServer(server);
    for (const dir of tempDirs.splice(0)) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  });
