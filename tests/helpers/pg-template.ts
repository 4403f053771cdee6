import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyShim, migrate, seed } from "@/lib/db/migrate";
import { clientExecutor } from "@/lib/db/postgres";
import { createTestSessions } from "./sessions";
import { assertLocalDatabaseUrl, databaseUrl, ownerPidOf, TEST_DB_PREFIX, testDatabaseName } from "./pg-local";

// Vitest global setup of the `pg` project: one migrated, seeded template database per run;
// every test file then gets `create database ... template <it>` (openPgTestDatabase in pg.ts),
// which takes a fraction of a second instead of migrating again.
//
// The template's name carries this run's pid, so two runs on the same server (two terminals,
// CI and a developer) never drop each other's databases; databases left by runs that were
// killed are dropped here.

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  const base = assertLocalDatabaseUrl(process.env.TEST_DATABASE_URL);
  const template = testDatabaseName(process.pid, `tpl_${randomBytes(3).toString("hex")}`);

  await withClient(base.toString(), async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      "select datname from pg_database where starts_with(datname, $1)",
      [TEST_DB_PREFIX],
    );
    for (const { datname } of rows) {
      const owner = ownerPidOf(datname);
      if (owner !== null && owner !== process.pid && !alive(owner)) await dropDatabase(admin, datname);
    }
    await dropDatabase(admin, template);
    await admin.query(`create database ${pg.escapeIdentifier(template)}`);
  });

  try {
    await withClient(databaseUrl(base, template), async (client) => {
      const db = clientExecutor(client);
      await applyShim(db);
      await migrate(db);
      await seed(db);
      await createTestSessions(async (sql, params) => (await client.query(sql, params)).rows);
    });
  } catch (error) {
    await withClient(base.toString(), (admin) => dropDatabase(admin, template));
    throw error;
  }

  project.provide("pgAdminUrl", base.toString());
  project.provide("pgTemplate", template);

  return async () => {
    await withClient(base.toString(), async (admin) => {
      // Files drop their own databases; anything left (a crashed worker) goes with the template.
      const { rows } = await admin.query<{ datname: string }>(
        "select datname from pg_database where starts_with(datname, $1)",
        [testDatabaseName(process.pid, "")],
      );
      for (const { datname } of rows) await dropDatabase(admin, datname);
    });
  };
}
