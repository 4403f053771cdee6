// npm run db:backup [file] — a backup of the database the environment selects: DATABASE_URL
// (Postgres or Supabase: data-only pg_dump of our tables, .sql) or the embedded database in
// DATA_DIR (PGlite's data folder dump, .tar.gz; stop the app first). See docs/operations.md.
import path from "node:path";
import pg from "pg";
import { databaseMode, env } from "@/lib/env";
import { backupEmbedded, backupPostgres, databaseSummary } from "@/lib/db-tools/backup";
import { recordBackup } from "@/lib/db-tools/backup-record";
import { openPglite, pgliteExecutor } from "@/lib/db/pglite";
import { clientExecutor } from "@/lib/db/postgres";
import type { SqlExecutor } from "@/lib/db/sql-executor";

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

const rowsOf = (summary: { counts: Record<string, number> }) => Object.values(summary.counts).reduce((a, b) => a + b, 0);

function printSummary(file: string, summary: { counts: Record<string, number>; stockViolations: number }) {
  const rows = rowsOf(summary);
  console.log(`backup written: ${file}`);
  console.log(`${Object.keys(summary.counts).length} tables, ${rows} rows; stock invariant ${summary.stockViolations === 0 ? "holds" : `VIOLATED (${summary.stockViolations})`}`);
}

async function main() {
  const e = env();
  const arg = process.argv[2];
  if (e.DATABASE_URL) {
    const file = path.resolve(arg ?? `backups/duly-postgres-${stamp()}.sql`);
    const { schema } = await backupPostgres(e.DATABASE_URL, file);
    const client = new pg.Client({ connectionString: e.DATABASE_URL });
    await client.connect();
    try {
      const exec = clientExecutor(client);
      const summary = await databaseSummary(exec);
      printSummary(file, summary);
      // The alert job's "last successful backup" (docs/operations.md).
      await recordBackup(exec, { kind: "database", mode: "postgres", target: file, ok: true, rows: rowsOf(summary) });
    } finally {
      await client.end();
    }
    console.log(`schema ${schema}: restore into a database migrated to this version`);
    return;
  }
  if (databaseMode(e) === "supabase") {
    throw new Error("Supabase mode: set DATABASE_URL to the project's direct connection string to back it up with pg_dump");
  }
  const dir = path.resolve(e.DATA_DIR, "pglite");
  const file = path.resolve(arg ?? `backups/duly-embedded-${stamp()}.tar.gz`);
  await backupEmbedded(dir, file);
  const db = await openPglite({ dataDir: dir });
  try {
    const exec: SqlExecutor = pgliteExecutor(db);
    const summary = await databaseSummary(exec);
    printSummary(file, summary);
    // Recorded after the dump, so the record itself is in the next backup, not this one.
    await recordBackup(exec, { kind: "database", mode: "embedded", target: file, ok: true, rows: rowsOf(summary) });
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
