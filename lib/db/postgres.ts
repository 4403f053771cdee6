import pg from "pg";
import { toDbError } from "./pg-error";
import { oneTripCall, oneTripResult } from "./sql-call";
import type { SqlExecutor } from "./sql-executor";
import type { Caller, RpcArgs, Transport } from "./types";

// Plain Postgres (DATABASE_URL): a pool, and for each call what PostgREST does: one
// transaction, role and claims for that transaction only, then the function. All of it goes in
// one query string (sql-call.ts): at 32 concurrent requests on two cores, the four round trips
// it used to take cost more than most function calls themselves (npm run bench).

// Deadlocks and serialisation failures roll the whole transaction back, so running it again is
// safe; the client sees an error only if it keeps failing.
const RETRYABLE = new Set(["40001", "40P01"]);
const ATTEMPTS = 4;

export class PostgresTransport implements Transport {
  readonly mode = "postgres" as const;

  constructor(readonly pool: pg.Pool) {}

  async rpc(fn: string, args: RpcArgs, caller: Caller): Promise<unknown> {
    const text = oneTripCall(fn, args, caller);
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        // A multi-statement string answers one result per statement.
        return oneTripResult((await client.query(text)) as unknown as pg.QueryResult[]);
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        const dbError = toDbError(error);
        if (!RETRYABLE.has(dbError.code) || attempt >= ATTEMPTS) throw dbError;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      } finally {
        client.release();
      }
    }
  }

  async ping(): Promise<void> {
    await this.pool.query("select 1");
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 });
  // An idle client losing its connection must not crash the process.
  pool.on("error", () => undefined);
  return pool;
}

/** One connection (never a pool: migrations open transactions across several queries). */
export function clientExecutor(client: pg.Client | pg.PoolClient): SqlExecutor {
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
  };
}
