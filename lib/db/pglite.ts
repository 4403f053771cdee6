import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { pgcrypto } from "@electric-sql/pglite/contrib/pgcrypto";
import { applyShim, migrate, seed } from "./migrate";
import { toDbError } from "./pg-error";
import { oneTripCall, oneTripResult } from "./sql-call";
import type { SqlExecutor } from "./sql-executor";
import type { Caller, RpcArgs, Transport } from "./types";

// Embedded Postgres (PGlite): one process, one connection. PGlite queues queries itself; the
// lock below also keeps each rpc's transaction whole while other work waits.

export type PgliteOptions = { dataDir?: string; loadDataDir?: Blob };

export async function openPglite(opts: PgliteOptions = {}): Promise<PGlite> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  return PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    // Not pg_trgm: loaded next to pgcrypto, it made pgcrypto's digest() fail now and then for a
    // whole database; the search indexes are made only where it exists (20261222000200).
    extensions: { pgcrypto },
    // PGlite's default 128 MB of shared buffers would be most of the server's memory; the
    // embedded database is small and the OS caches its files anyway.
    postgresqlconf: ["shared_buffers=16MB", "work_mem=8MB"],
    // The WebAssembly heap starts at the smallest size PGlite accepts (128 MB) and grows when a
    // query needs more. PGlite's larger default start is resident from the first moment: about
    // 150 MB more server memory at idle (npm run bench:boot).
    initialMemory: 128 * 1024 * 1024,
  });
}

export function pgliteExecutor(db: PGlite): SqlExecutor {
  return {
    async exec(sql) {
      await db.exec(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
  };
}

/** Shim, migrations and (unless turned off) the demo seed on first start. */
export async function prepareDatabase(exec: SqlExecutor, opts: { seed: boolean }): Promise<{ migrated: string[]; seeded: boolean }> {
  await applyShim(exec);
  const migrated = await migrate(exec);
  const seeded = opts.seed ? await seed(exec) : false;
  return { migrated, seeded };
}

export class PgliteTransport implements Transport {
  readonly mode = "embedded" as const;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly db: PGlite,
    private readonly opts: { statementTimeoutMs?: number } = {},
  ) {}

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  rpc(fn: string, args: RpcArgs, caller: Caller): Promise<unknown> {
    return this.serial(async () => {
      try {
        // The same single query string as the Postgres transport: one pass through the
        // WebAssembly boundary instead of four, and one code path tested on both.
        return oneTripResult(await this.db.exec(oneTripCall(fn, args, caller, this.opts.statementTimeoutMs)));
      } catch (error) {
        await this.db.exec("rollback").catch(() => undefined);
        throw toDbError(error);
      }
    });
  }

  async ping(): Promise<void> {
    await this.serial(() => this.db.query("select 1"));
  }

  async close(): Promise<void> {
    await this.serial(() => this.db.close());
  }
}
