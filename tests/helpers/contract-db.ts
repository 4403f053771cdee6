import { inject } from "vitest";
import { openPgTestDb } from "./pg";
import { openPgliteTestDb } from "./pglite";
import type { MakeDb } from "./test-db";

// The database a contract suite (tests/contract/*.contract.ts) runs on: each vitest project that
// includes the suites names its engine in `provide` (vitest.config.mts), so one file runs on
// PGlite in the `db` project and on real Postgres in the `pg` project, with no wrapper files.

declare module "vitest" {
  export interface ProvidedContext {
    /** Which engine the project's contract suites run on. */
    contractEngine: "pglite" | "postgres";
  }
}

/** Opens a fresh, migrated and seeded database of the running project's engine. */
export const contractDb: MakeDb = () => (inject("contractEngine") === "postgres" ? openPgTestDb() : openPgliteTestDb());
