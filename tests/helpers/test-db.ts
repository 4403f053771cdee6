import { afterAll, beforeAll } from "vitest";
import type { Transport } from "@/lib/db/types";

// What a contract test needs from a database, whichever engine it runs on: the app's transport
// (installed with setTransport, so `call()` and the route handlers use it), plain superuser
// queries for fixtures and catalog checks, and transactions that are always rolled back.

/** One query on one connection; errors are normalised to DbError (lib/db/pg-error). */
export type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

export interface TestDb {
  readonly engine: "pglite" | "postgres";
  readonly transport: Transport;
  /** As the connecting superuser, committed: fixtures and catalog queries. */
  query: Query;
  /** Runs `work` in one transaction on one connection and always rolls it back. */
  rolledBack<T>(work: (q: Query) => Promise<T>): Promise<T>;
  /** Uninstalls the transport and drops or closes the database. */
  close(): Promise<void>;
}

/** Opens a fresh, migrated and seeded database and installs it as the app's database. */
export type MakeDb = () => Promise<TestDb>;

/**
 * Opens a database before the tests of the current describe block (or file) and closes it after
 * them; returns a getter for use inside tests.
 */
export function databaseForSuite(makeDb: MakeDb): () => TestDb {
  let db: TestDb | undefined;
  beforeAll(async () => {
    db = await makeDb();
  });
  afterAll(async () => {
    await db?.close();
  });
  return () => {
    if (!db) throw new Error("The test database is not open (use it inside a test or hook)");
    return db;
  };
}
