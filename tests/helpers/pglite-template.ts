import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { openPglite, pgliteExecutor, prepareDatabase } from "@/lib/db/pglite";
import { createTestSessions } from "./sessions";

// Vitest global setup: migrate and seed one PGlite database and dump it; every test file then
// loads its own copy (fast) instead of migrating again.

export const TEMPLATE_FILE = path.resolve(__dirname, "../../.data-test/template.tar.gz");

export default async function setup() {
  const db = await openPglite();
  await prepareDatabase(pgliteExecutor(db), { seed: true });
  await createTestSessions(async (sql, params) => (await db.query(sql, params)).rows as never);
  const dump = await db.dumpDataDir("gzip");
  await mkdir(path.dirname(TEMPLATE_FILE), { recursive: true });
  // Write then rename: another test run reading the template never sees half a file.
  const partial = `${TEMPLATE_FILE}.${process.pid}`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, TEMPLATE_FILE);
  await db.close();
}
