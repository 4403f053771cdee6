import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { setTransport } from "@/lib/db";
import { toDbError } from "@/lib/db/pg-error";
import { createPool, PostgresTransport } from "@/lib/db/postgres";
import { assertLocalDatabaseUrl, databaseUrl, ownerPidOf, testDatabaseName } from "./pg-local";
import type { Query, TestDb } from "./test-db";

// Real Postgres for the `pg` project: each call gets its own database, copied from the run's
// migrated template (tests/helpers/pg-template.ts), installed as the app's database.

export type PgTestDatabase = TestDb & { readonly url: string; readonly name: string; readonly pool: pg.Pool };

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A pool's or one checked-out connection's queries as a test Query (errors as DbError). */
export function clientQuery(client: pg.Pool | pg.PoolClient): Query {
  return async <T>(sql: string, params?: unknown[]) => {
    try {
      return (await client.query(sql, params)).rows as T[];
    } catch (error) {
      throw toDbError(error);
    }
  };
}

/** A fresh database of the caller's own; the caller closes it (which drops it). */
export async function openPgTestDb(): Promise<PgTestDatabase> {
  const adminUrl = assertLocalDatabaseUrl(inject("pgAdminUrl"));
  const template = inject("pgTemplate");
  const owner = ownerPidOf(template);
  if (owner === null) throw new Error(`Not a test template: ${template}`);
  const name = testDatabaseName(owner, randomBytes(5).toString("hex"));
  await adminQuery(adminUrl.toString(), `create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(template)}`);

  const url = databaseUrl(adminUrl, name);
  const pool = createPool(url);
  const transport = new PostgresTransport(pool);
  setTransport(transport);
  let closed = false;
  return {
    engine: "postgres",
    url,
    name,
    pool,
    transport,
    query: clientQuery(pool),
    async rolledBack(work) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        return await work(clientQuery(client));
      } finally {
        await client.query("rollback").catch(() => undefined);
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      setTransport(undefined);
      await transport.close();
      await adminQuery(adminUrl.toString(), `drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    },
  };
}

/**
 * A database of this test file's own, installed as the app's database and dropped after the
 * file (the Postgres counterpart of openTestDatabase in pglite.ts). Call it at the top of the
 * file: Vitest ignores an afterAll registered inside a hook, and then the database is only
 * dropped by the global teardown at the end of the run.
 */
export function openPgTestDatabase(): Promise<PgTestDatabase> {
  let opened: PgTestDatabase | undefined;
  afterAll(async () => {
    await opened?.close();
  });
  return openPgTestDb().then((db) => (opened = db));
}

/** Polls (up to 5 s) until the backend `pid` waits on a lock; false if it never does. */
export async function waitsOnLock(query: Query, pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const rows = await query<{ lock: string | null }>("select wait_event_type as lock from pg_stat_activity where pid = $1", [pid]);
    if (rows[0]?.lock === "Lock") return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
