import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { dumpSchema } from "@/lib/db-tools/schema-dump";
import { openPgliteTestDb } from "../helpers/pglite";
import { databaseForSuite } from "../helpers/test-db";

// supabase/schema.sql is the schema the migrations leave behind (lib/db-tools/schema-dump.ts). A
// migration without a regenerated file fails here, so every review shows the live text of what
// it changes.

const getDb = databaseForSuite(openPgliteTestDb);

it("supabase/schema.sql is what the migrations produce (else: run npm run db:schema and commit it)", async () => {
  const { query } = getDb();
  const expected = await dumpSchema({ query, exec: async (sql) => void (await query(sql)) });
  const file = await readFile(path.resolve(__dirname, "../../supabase/schema.sql"), "utf8").catch(() => "");
  // One clear message rather than a 6,000-line diff.
  if (file !== expected) {
    const a = file.split("\n");
    const b = expected.split("\n");
    const line = b.findIndex((l, i) => a[i] !== l);
    expect.fail(`supabase/schema.sql is out of date (first difference at line ${line + 1}: ${JSON.stringify(b[line] ?? "")}): run npm run db:schema and commit it`);
  }
});
