import { readFile } from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { afterAll } from "vitest";
import { setTransport } from "@/lib/db";
import { toDbError } from "@/lib/db/pg-error";
import { openPglite, PgliteTransport } from "@/lib/db/pglite";
import type { Query, TestDb } from "./test-db";

const TEMPLATE_FILE = path.resolve(__dirname, "../../.data-test/template.tar.gz");

async function loadTemplate(): Promise<PGlite> {
  const blob = new Blob([await readFile(TEMPLATE_FILE)]);
  return openPglite({ loadDataDir: blob });
}

/**
 * A migrated, seeded PGlite database of this test file's own, installed as the app's database
 * (so route handlers and data modules use it) and closed after the file.
 */
export function openTestDatabase(): Promise<{ db: PGlite; transport: PgliteTransport }> {
  // Registered before the first await: a hook registered after collection never runs.
  let opened: PgliteTransport | undefined;
  afterAll(async () => {
    setTransport(undefined);
    await opened?.close();
  });
  return (async () => {
    const db = await loadTemplate();
    const transport = new PgliteTransport(db);
    opened = transport;
    setTransport(transport);
    return { db, transport };
  })();
}

/** Runs a statement on a PGlite database (or transaction), its errors as the app's DbError. */
export function pgliteQuery(db: Pick<PGlite, "query">): Query {
  return async <T>(sql: string, params?: unknown[]) => {
    try {
      return (await db.query<T>(sql, params)).rows;
    } catch (error) {
      throw toDbError(error);
    }
  };
}

/** The contract suite's PGlite database (see test-db.ts); the caller closes it. */
export async function openPgliteTestDb(): Promise<TestDb> {
  const db = await loadTemplate();
  const transport = new PgliteTransport(db);
  setTransport(transport);
  return {
    engine: "pglite",
    transport,
    query: pgliteQuery(db),
    async rolledBack(work) {
      // PGlite runs one transaction at a time, so this never interleaves with a transport call.
      return db.transaction(async (tx) => {
        try {
          return await work(pgliteQuery(tx));
        } finally {
          if (!tx.closed) await tx.rollback();
        }
      });
    },
    async close() {
      setTransport(undefined);
      await transport.close();
    },
  };
}
