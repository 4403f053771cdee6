import { PassThrough } from "node:stream";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { toDbError } from "./pg-error";
import { DEFAULT_STATEMENT_TIMEOUT_MS, oneTripCall, oneTripResult, sessionSetup } from "./sql-call";
import type { SqlExecutor } from "./sql-executor";
import type { Caller, CopyFormat, RpcArgs, Transport } from "./types";

// Plain Postgres (DATABASE_URL): a pool, and for each call what PostgREST does: one
// transaction, role and claims for that transaction only, then the function. All of it goes in
// one query string (sql-call.ts): at 32 concurrent requests on two cores, the four round trips
// it used to take cost more than most function calls themselves (npm run bench).

// Deadlocks and serialisation failures roll the whole transaction back, so running it again is
// safe; the client sees an error only if it keeps failing.
const RETRYABLE = new Set(["40001", "40P01"]);
const ATTEMPTS = 4;

// statement_timeout is the server's: it cannot fire while the server process is frozen or the
// network is gone. The client then stops waiting a little later on its own (query_timeout).
const CLIENT_MARGIN_MS = 1000;

export type PostgresTransportOptions = { statementTimeoutMs?: number };

type Checkout = { client: pg.PoolClient; broken: boolean; release: () => void };

export class PostgresTransport implements Transport {
  readonly mode = "postgres" as const;
  private readonly statementTimeoutMs: number;

  constructor(
    readonly pool: pg.Pool,
    opts: PostgresTransportOptions = {},
  ) {
    this.statementTimeoutMs = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  }

  async rpc(fn: string, args: RpcArgs, caller: Caller): Promise<unknown> {
    const text = oneTripCall(fn, args, caller, this.statementTimeoutMs);
    for (let attempt = 1; ; attempt++) {
      const c = await this.checkout();
      try {
        // A multi-statement string answers one result per statement.
        const results = await c.client.query(this.timed(text));
        return oneTripResult(results as unknown as pg.QueryResult[]);
      } catch (error) {
        const dbError = toDbError(error);
        // A connection that timed out or broke may still be busy or half-gone: never reuse it
        // (a rollback on it would wait just as long).
        c.broken ||= dbError.code.startsWith("08") || (error instanceof Error && /^Query read timeout/.test(error.message));
        if (!c.broken) await c.client.query("rollback").catch(() => undefined);
        if (!RETRYABLE.has(dbError.code) || attempt >= ATTEMPTS) throw dbError;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      } finally {
        c.release();
      }
    }
  }

  async copyOut(query: string, caller: Caller, timeoutMs: number, format: CopyFormat = "csv"): Promise<PassThrough> {
    const c = await this.checkout();
    const { client, release } = c;
    try {
      // One read-only transaction as the caller, as an rpc runs; the statement timeout is the
      // export's own (a whole list takes longer than one call).
      await client.query("begin read only");
      const setup = sessionSetup(caller, timeoutMs);
      await client.query(setup.sql, setup.params);
      // Times as text are read the same whatever the server's default.
      await client.query("set local datestyle = 'ISO, YMD'");
    } catch (error) {
      c.broken = true;
      release();
      throw toDbError(error);
    }
    const source = client.query(copyTo(`copy (${query}) to stdout with (format ${format === "text" ? "text" : "csv"})`));
    const out = new PassThrough({ highWaterMark: 1 << 20 });
    let settled = false;
    const first = new Promise<void>((resolve, reject) => {
      source.once("data", () => resolve());
      source.once("end", () => resolve());
      source.once("error", reject);
    });
    source.on("error", (error) => {
      if (settled) return;
      settled = true;
      // The connection is mid-COPY: never reuse it.
      c.broken = true;
      release();
      out.destroy(toDbError(error));
    });
    source.on("end", () => {
      if (settled) return;
      settled = true;
      client.query("commit").then(release, () => {
        c.broken = true;
        release();
      });
    });
    // The client went away: drop the connection, which ends the COPY on the server.
    out.on("close", () => {
      if (settled) return;
      settled = true;
      c.broken = true;
      source.destroy();
      release();
    });
    source.pipe(out);
    try {
      await first;
    } catch (error) {
      throw toDbError(error);
    }
    return out;
  }

  /**
   * A pooled connection, handed back with `release` and never reused once `broken` is set. A
   * connection dropped while checked out makes the client emit 'error' besides failing its
   * query; with no listener that is an uncaught exception, which ends the process.
   */
  private async checkout(): Promise<Checkout> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toDbError(error);
    }
    const onError = () => {
      checkout.broken = true;
    };
    const checkout: Checkout = {
      client,
      broken: false,
      release: () => {
        client.off("error", onError);
        client.release(checkout.broken);
      },
    };
    client.on("error", onError);
    return checkout;
  }

  async ping(): Promise<void> {
    // Bounded too: a ping stuck on a frozen connection would hold a pool slot for good.
    await this.pool.query(this.timed("select 1"));
  }

  private timed(text: string): pg.QueryConfig & { query_timeout: number } {
    // query_timeout per query is honoured by pg's Client but missing from its QueryConfig type.
    return { text, query_timeout: this.statementTimeoutMs + CLIENT_MARGIN_MS };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * connectTimeoutMs bounds both ways of getting a connection: waiting for a free one when all are
 * busy, and opening a new one (pg-pool applies connectionTimeoutMillis to each).
 */
export function createPool(connectionString: string, opts: { max?: number; connectTimeoutMs?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30000,
    // A peer that vanished without closing (a frozen host) is found by TCP keepalive.
    keepAlive: true,
  });
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
