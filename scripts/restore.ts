// npm run db:restore <file> [--yes] — replaces the data of the database the environment selects
// with a backup made by npm run db:backup. DATABASE_URL: in one transaction, into a database
// migrated to the backup's schema version; a server other than this machine needs --yes.
// Embedded: the DATA_DIR folder is replaced (the old one is kept beside it); stop the app first.
import path from "node:path";
import pg from "pg";
import { databaseMode, env } from "@/lib/env";
import { databaseSummary, readHeader, restoreEmbedded, restorePostgres } from "@/lib/db-tools/backup";
import { openPglite, pgliteExecutor } from "@/lib/db/pglite";
import { clientExecutor } from "@/lib/db/postgres";

const LOCAL = new Set(["localhost", "127.0.0.1", "::1", "[::1]", ""]);

function report(summary: { counts: Record<string, number>; stockViolations: number }): void {
  const rows = Object.values(summary.counts).reduce((a, b) => a + b, 0);
  console.log(`restored: ${Object.keys(summary.counts).length} tables, ${rows} rows`);
  for (const [table, n] of Object.entries(summary.counts)) console.log(`  ${table.padEnd(36)} ${n}`);
  if (summary.stockViolations > 0) {
    throw new Error(`stock invariant violated in ${summary.stockViolations} places: check public.stock_invariant_violations()`);
  }
  console.log("stock invariant holds");
}

async function main() {
  const e = env();
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith("--"));
  if (!file) {
    console.error("usage: npm run db:restore <file> [--yes]");
    process.exit(2);
  }
  const abs = path.resolve(file);
  const header = await readHeader(abs);
  if (e.DATABASE_URL) {
    const host = new URL(e.DATABASE_URL).hostname;
    if (!LOCAL.has(host) && !args.includes("--yes")) {
      throw new Error(`This replaces every row on ${host}. Run again with --yes if that is what you mean.`);
    }
    await restorePostgres(e.DATABASE_URL, abs);
    const client = new pg.Client({ connectionString: e.DATABASE_URL });
    await client.connect();
    try {
      report(await databaseSummary(clientExecutor(client)));
    } finally {
      await client.end();
    }
    return;
  }
  if (databaseMode(e) === "supabase") {
    throw new Error("Supabase mode: set DATABASE_URL to the project's direct connection string to restore with psql");
  }
  if (header.mode !== "embedded") throw new Error(`${abs} is a Postgres backup: set DATABASE_URL to restore it`);
  const dir = path.resolve(e.DATA_DIR, "pglite");
  const { previous } = await restoreEmbedded(dir, abs);
  const db = await openPglite({ dataDir: dir });
  try {
    report(await databaseSummary(pgliteExecutor(db)));
  } finally {
    await db.close();
  }
  if (previous) console.log(`the previous database is kept in ${previous}; delete it once you have checked the restore`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
