import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { openPglite, pgliteExecutor, prepareDatabase } from "@/lib/db/pglite";
import { dumpSchema } from "@/lib/db-tools/schema-dump";

// npm run db:schema — migrate a fresh in-memory embedded database and write supabase/schema.sql
// (lib/db-tools/schema-dump.ts). With --check: exit 1 when the file differs from what it would write.

export const SCHEMA_FILE = path.resolve(process.cwd(), "supabase/schema.sql");

async function main() {
  const db = await openPglite();
  try {
    await prepareDatabase(pgliteExecutor(db), { seed: false });
    const text = await dumpSchema(pgliteExecutor(db));
    if (process.argv.includes("--check")) {
      const current = await readFile(SCHEMA_FILE, "utf8").catch(() => "");
      if (current !== text) {
        console.error("supabase/schema.sql is out of date: run npm run db:schema and commit it");
        process.exitCode = 1;
      }
      return;
    }
    await writeFile(SCHEMA_FILE, text);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)} (${text.split("\n").length} lines)`);
  } finally {
    await db.close();
  }
}

void main();
