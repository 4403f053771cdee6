// npm run check:shutdown — after `next build`: the production server on the embedded database
// stops soon after SIGTERM even with a message stream open, and leaves its data folder whole.
// Starts `next start` on a fresh data folder and a free port, signs in, writes a row, opens
// /api/v1/messages/stream, sends SIGTERM, waits for the exit (at most BOUND_MS: a bound that only
// a hang reaches, not a timing target) and prints how long it took; then opens the data folder
// again with PGlite and finds the row. Run by .ci/run and the e2e job of ci.yml after the build.
// Ends with "N passed, N failed"; exits 1 when a check failed.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { openPglite } from "@/lib/db/pglite";

const ROOT = path.resolve(__dirname, "..");
const BOUND_MS = 30_000;
const READY_MS = 120_000;
const CODE = `SHUT${Date.now().toString(36).toUpperCase()}`.slice(0, 20);

const results: { name: string; ok: boolean; detail?: string }[] = [];
function check(name: string, ok: boolean, detail?: string) {
  results.push({ name, ok, detail });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` (${detail})` : ""}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    console.error("No production build: run `next build` first.");
    process.exit(2);
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), "duly-shutdown-"));
  const port = Number(process.env.SHUTDOWN_CHECK_PORT) || (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ["DATABASE_URL", "NEXT_PUBLIC_SUPABASE_URL", "NEXT_PUBLIC_SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY", "PORT", "HOSTNAME"]) delete env[key];
  Object.assign(env, {
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: "shutdown-check-secret-0123456789-abcdefgh",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "info",
    // The check signs in as the demo admin.
    SEED_DEMO_DATA: "true",
  });
  const output: string[] = [];
  const server = spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env,
    detached: true, // its own process group: the cleanup below can stop anything it left
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (c: Buffer) => output.push(c.toString()));
  server.stderr.on("data", (c: Buffer) => output.push(c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    server.once("exit", (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const stream = new AbortController();
  try {
    const started = performance.now();
    let ready = false;
    while (!ready && performance.now() - started < READY_MS && server.exitCode === null) {
      ready = await fetch(`${base}/health/ready`).then((r) => r.status === 200, () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 500));
    }
    check("the server starts on a fresh data folder", ready);
    if (!ready) return;

    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@duly.test", password: "duly-demo-pass" }),
    });
    const token = ((await login.json()) as { data: { session: { access_token: string } } }).data.session.access_token;
    const auth = { authorization: `Bearer ${token}` };
    const created = await fetch(`${base}/api/v1/engines`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ code: CODE, name_ko: "종료 확인" }),
    });
    check("a row is written before the signal", created.status === 201, `status ${created.status}`);

    const res = await fetch(`${base}/api/v1/messages/stream`, { headers: auth, signal: stream.signal });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    check("a message stream is open", res.status === 200 && first.includes("event: ready"));
    // Keep reading, as a browser would, until the server ends the stream.
    const streamEnded = (async () => {
      while (!(await reader.read().catch(() => ({ done: true }))).done);
      return performance.now();
    })();

    const signalled = performance.now();
    process.kill(server.pid!, "SIGTERM");
    const exit = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), BOUND_MS))]);
    const ms = exit ? Math.round(exit.at - signalled) : null;
    console.log(ms === null ? `server still running ${BOUND_MS} ms after SIGTERM` : `server exited ${ms} ms after SIGTERM`);
    check(`the server exits after SIGTERM with a stream open (within the ${BOUND_MS / 1000} s bound)`, exit !== null, exit ? `code ${exit.code}, signal ${exit.signal}` : undefined);
    if (!exit) return;
    const endedAt = await Promise.race([streamEnded, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
    check("the stream was ended by the server", endedAt !== null);
    const log = output.join("");
    check("it logged a clean shutdown with the database closed", /"event":"shutdown".*"databaseClosed":true/.test(log));

    const db = await openPglite({ dataDir: path.join(dataDir, "pglite") });
    try {
      const rows = (await db.query<{ n: number }>("select count(*)::int as n from public.engines where code = $1", [CODE])).rows;
      check("the data folder opens again and holds the row", rows[0]?.n === 1);
    } finally {
      await db.close();
    }
  } finally {
    stream.abort();
    if (server.exitCode === null && server.signalCode === null) {
      try {
        process.kill(-server.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await rm(dataDir, { recursive: true, force: true });
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) console.log(output.join("").split("\n").slice(-30).join("\n"));
    console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
    process.exitCode = failed.length > 0 ? 1 : 0;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
