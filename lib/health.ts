import "server-only";
import { getTransport } from "@/lib/db";
import { healthCheck } from "@/lib/data/health";
import { databaseMode, env } from "@/lib/env";
import { APP_NAME, APP_VERSION, engineInfo } from "@/lib/engine";
import { maintenance } from "@/lib/ops/maintenance";

// Health and identity, as the ops manual asks: /healthz answers within 2 s even when the
// database does not.

const DB_TIMEOUT_MS = 1500;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export type DatabaseStatus = { ok: true; schema: string | null } | { ok: false };

export async function databaseStatus(): Promise<DatabaseStatus> {
  try {
    const result = await withTimeout(
      (async () => {
        await (await getTransport()).ping();
        return healthCheck();
      })(),
      DB_TIMEOUT_MS,
    );
    return { ok: true, schema: result.schema };
  } catch {
    return { ok: false };
  }
}

export async function healthReport() {
  const [db, mode] = await Promise.all([
    databaseStatus(),
    // Never slower than the database check: a database that hangs leaves the env switch only.
    withTimeout(maintenance(), DB_TIMEOUT_MS).catch(() => ({ active: env().MAINTENANCE_MODE })),
  ]);
  const engine = engineInfo();
  return {
    healthy: db.ok,
    body: {
      status: db.ok ? "healthy" : "unhealthy",
      app: APP_NAME,
      version: APP_VERSION,
      database: db.ok ? "ok" : "error",
      mode: databaseMode(),
      // Maintenance mode answers everyone but admins 503; health keeps answering and says so.
      maintenance: mode.active,
      engine: { ...engine, schema: db.ok ? (db.schema ?? "none") : engine.schema },
    },
  };
}

/** Ready = the database answers and has every migration this build knows about. */
export async function readiness() {
  const db = await databaseStatus();
  const expected = engineInfo().schema;
  const migrated = db.ok && db.schema !== null && (expected === "unknown" || db.schema >= expected);
  return {
    ready: migrated,
    body: {
      status: migrated ? "ready" : "not_ready",
      database: db.ok ? "ok" : "error",
      schema: db.ok ? db.schema : null,
      expected_schema: expected,
    },
  };
}
