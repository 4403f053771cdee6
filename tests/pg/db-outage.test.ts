import * as Sentry from "@sentry/nextjs";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setTransport } from "@/lib/db";
import { createPool, PostgresTransport } from "@/lib/db/postgres";
import { resetEnvCache } from "@/lib/env";
import { startFakeSentry, type FakeSentry } from "../helpers/fake-sentry";
import { openPgTestDb, type PgTestDatabase } from "../helpers/pg";
import { client, tokenFor, type ApiResponse } from "../helpers/router";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy";

// Database outages (docs/security.md, "Database outages and timeouts"), on real Postgres behind a
// loopback TCP proxy that can freeze (accepts, never answers: a stopped server) or refuse (down).
// Requests answer 503 with Retry-After within the configured timeouts instead of hanging or
// answering 500; the outage is logged and sent to Sentry (a fake ingest server) once, not once per
// request; and the same process serves again as soon as the database is back, without a restart.

const TIMEOUT_MS = 500;
const saved = { ...process.env };

let db: PgTestDatabase;
let proxy: TcpProxy;
let transport: PostgresTransport;
let sentry: FakeSentry;

beforeAll(async () => {
  db = await openPgTestDb();
  const url = new URL(db.url);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  transport = new PostgresTransport(createPool(url.toString(), { max: 4, connectTimeoutMs: TIMEOUT_MS }), { statementTimeoutMs: TIMEOUT_MS });
  setTransport(transport);
  sentry = await startFakeSentry();
  process.env.SENTRY_DSN = sentry.dsn;
  // The log lines are part of what is tested (captured and silenced by captureLogs).
  process.env.LOG_LEVEL = "info";
  resetEnvCache();
  await (await import("@/sentry.server.config")).ready;
  // Signed in while the database answers.
  await tokenFor("korean");
});

afterAll(async () => {
  await proxy?.close();
  await transport?.close();
  await db?.close();
  await Sentry.close(2000);
  await sentry?.close();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  resetEnvCache();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await proxy.setMode("forward");
});

/** The structured log lines written from now on (silenced), by event name. */
function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const keep = (...args: unknown[]) => {
    try {
      lines.push(JSON.parse(String(args[0])) as Record<string, unknown>);
    } catch {
      // not one of ours
    }
  };
  vi.spyOn(console, "error").mockImplementation(keep);
  vi.spyOn(console, "log").mockImplementation(keep);
  return { events: (name: string) => lines.filter((l) => l.event === name) };
}

async function sentryEvents(): Promise<number> {
  await Sentry.flush(5000);
  return sentry.items("event").length;
}

function expectUnavailable(res: ApiResponse) {
  expect(res.status).toBe(503);
  expect(res.body.error.code).toBe("unavailable");
  expect(res.headers.get("retry-after")).toBe("5");
  expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|timeout|ECONN|postgres/i);
}

const korean = client("korean");

describe("a database that stops answering", () => {
  it("frozen: each request answers 503 with Retry-After (idle connection and new connection alike); one log line and one Sentry event; back without a restart", async () => {
    expect((await korean.get("/api/v1/items")).status).toBe(200);
    const eventsBefore = await sentryEvents();
    const logs = captureLogs();
    await proxy.setMode("freeze");
    const acceptedBefore = proxy.accepted;

    // The first reuses the pool's idle connection (the client gives up on the statement); the
    // next open new ones, which the frozen server accepts and never greets (the connect timeout).
    const answers = [await korean.get("/api/v1/items"), await korean.get("/api/v1/items")];
    answers.push(...(await Promise.all([korean.get("/api/v1/items"), korean.get("/api/v1/items/00000000-0000-4000-8000-000000000000")])));
    for (const res of answers) expectUnavailable(res);
    expect(proxy.accepted).toBeGreaterThan(acceptedBefore);

    expect(logs.events("database.unavailable")).toHaveLength(1);
    expect(logs.events("request.failed")).toHaveLength(0);
    expect(logs.events("request").map((l) => l.status)).toEqual([503, 503, 503, 503]);

    await proxy.setMode("forward");
    expect((await korean.get("/api/v1/items")).status).toBe(200);
    expect(logs.events("database.recovered")).toEqual([expect.objectContaining({ failures: 4 })]);
    expect((await sentryEvents()) - eventsBefore).toBe(1);
  });

  it("refusing connections: 503, not 500; one log line and one Sentry event per outage; back without a restart", async () => {
    const eventsBefore = await sentryEvents();
    const logs = captureLogs();
    await proxy.setMode("refuse");
    for (let i = 0; i < 5; i++) expectUnavailable(await korean.get("/api/v1/items"));
    // The first finds its pooled connection dropped (08006); the rest are refused (08001).
    expect(logs.events("database.unavailable")).toHaveLength(1);
    expect(logs.events("request.failed")).toHaveLength(0);

    await proxy.setMode("forward");
    expect((await korean.get("/api/v1/items")).status).toBe(200);
    expect(logs.events("database.recovered")).toEqual([expect.objectContaining({ failures: 5 })]);
    expect((await sentryEvents()) - eventsBefore).toBe(1);

    // A second outage is a new incident: logged and reported again, once.
    await proxy.setMode("refuse");
    expectUnavailable(await korean.get("/api/v1/items"));
    expectUnavailable(await korean.get("/api/v1/items"));
    await proxy.setMode("forward");
    expect((await korean.get("/api/v1/items")).status).toBe(200);
    expect(logs.events("database.unavailable")).toHaveLength(2);
    expect(logs.events("database.recovered")).toHaveLength(2);
    expect((await sentryEvents()) - eventsBefore).toBe(2);
  });
});

describe("statement and pool timeouts on a live database", () => {
  it("a statement waiting on a lock another connection holds: 503 past the statement timeout, nothing written; served once the lock is gone", async () => {
    const [item] = await db.query<{ id: string; name_en: string | null }>("select id, name_en from public.items where active order by sku limit 1");
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query("select 1 from public.items where id = $1 for update", [item.id]);
      const blocked = await korean.patch(`/api/v1/items/${item.id}`, { name_en: "Blocked rename" });
      expectUnavailable(blocked);
      await holder.query("rollback");
    } finally {
      await holder.end();
    }
    const [unchanged] = await db.query<{ name_en: string | null }>("select name_en from public.items where id = $1", [item.id]);
    expect(unchanged.name_en).toBe(item.name_en);
    const done = await korean.patch(`/api/v1/items/${item.id}`, { name_en: "Renamed after the lock" });
    expect(done.status).toBe(200);
    expect(done.body.data.name_en).toBe("Renamed after the lock");
  });

  it("every connection of the pool busy: 503 past the acquire timeout; served once one is free", async () => {
    const small = new PostgresTransport(createPool(db.url, { max: 1, connectTimeoutMs: TIMEOUT_MS }), { statementTimeoutMs: TIMEOUT_MS });
    setTransport(small);
    try {
      expect((await korean.get("/api/v1/items")).status).toBe(200);
      const taken = await small.pool.connect();
      expectUnavailable(await korean.get("/api/v1/items"));
      taken.release();
      expect((await korean.get("/api/v1/items")).status).toBe(200);
    } finally {
      setTransport(transport);
      await small.close();
    }
  });
});
