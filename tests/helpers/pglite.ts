import { readFile } from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { afterAll } from "vitest";
import { setTransport } from "@/lib/db";
import { openPglite, PgliteTransport } from "@/lib/db/pglite";

const TEMPLATE_FILE = path.resolve(__dirname, "../../.data-test/template.tar.gz");

/**
 * A migrated, seeded PGlite database of this test file's own, installed as the app's database
 * (so route handlers and data modules use it) and closed after the file.
 */
export async function openTestDatabase(): Promise<{ db: PGlite; transport: PgliteTransport }> {
  const blob = new Blob([await readFile(TEMPLATE_FILE)]);
  const db = await openPglite({ loadDataDir: blob });
  const transport = new PgliteTransport(db);
  setTransport(transport);
  afterAll(async () => {
    setTransport(undefined);
    await transport.close();
  });
  return { db, transport };
}
