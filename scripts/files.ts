// npm run files:backup [dir] | files:restore <dir> — the attachment files, which database backups
// and Supabase's PITR do not hold (lib/storage/file-backup.ts, docs/operations.md). The rows come
// from DATABASE_URL when set (Postgres, or a Supabase project's direct connection), else from the
// embedded database in DATA_DIR (stop the app first); the files from the store the app uses
// (Supabase Storage in Supabase mode, else DATA_DIR/attachments). Exits 1 when any file is
// missing or does not match its row, after copying everything else.
import path from "node:path";
import pg from "pg";
import { env } from "@/lib/env";
import { openPglite, pgliteExecutor } from "@/lib/db/pglite";
import { clientExecutor } from "@/lib/db/postgres";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { recordBackup } from "@/lib/db-tools/backup-record";
import { getStorage } from "@/lib/storage";
import { backupFiles, restoreFiles } from "@/lib/storage/file-backup";

const [command, arg] = process.argv.slice(2);
if (!(command === "backup" || (command === "restore" && arg))) {
  console.error("usage: tsx scripts/files.ts backup [dir] | restore <dir>");
  process.exit(2);
}

async function run(db: SqlExecutor): Promise<number> {
  const storage = await getStorage();
  if (command === "backup") {
    const dir = path.resolve(arg ?? "backups/files");
    const r = await backupFiles(db, storage, dir);
    console.log(`files backup in ${dir}: ${r.files} files, ${r.copied} copied (${r.bytes} bytes), ${r.unchanged} unchanged`);
    for (const p of r.problems) console.error(`  ${p.reason}: ${p.path}`);
    await recordBackup(db, {
      kind: "files",
      mode: env().DATABASE_URL ? "postgres" : "embedded",
      target: dir,
      ok: r.problems.length === 0,
      rows: r.files,
      error: r.problems.length ? `${r.problems.length} files missing or not matching their rows` : null,
    });
    return r.problems.length;
  }
  const dir = path.resolve(arg!);
  const r = await restoreFiles(db, storage, dir);
  console.log(`files restored from ${dir}: ${r.files} files, ${r.restored} restored, ${r.present} already stored`);
  for (const p of r.problems) console.error(`  ${p.reason}: ${p.path}`);
  return r.problems.length;
}

async function main(): Promise<number> {
  const e = env();
  if (e.DATABASE_URL) {
    const client = new pg.Client({ connectionString: e.DATABASE_URL });
    await client.connect();
    try {
      return await run(clientExecutor(client));
    } finally {
      await client.end();
    }
  }
  const db = await openPglite({ dataDir: path.resolve(e.DATA_DIR, "pglite") });
  try {
    return await run(pgliteExecutor(db));
  } finally {
    await db.close();
  }
}

main().then(
  (problems) => process.exit(problems > 0 ? 1 : 0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
