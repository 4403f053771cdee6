import type { SqlExecutor } from "@/lib/db/sql-executor";

// Our own backups (npm run db:backup, npm run files:backup) are recorded in the database they
// back up (public.ops_backups), so the alert job can tell when the last good one is too old and
// /admin/status can show it. A database without that table (older than the operations
// migration) is backed up all the same; recording is then skipped with a warning.

export type BackupRecord = { kind: "database" | "files"; mode: string; target: string; ok: boolean; rows?: number | null; error?: string | null };

export async function recordBackup(db: SqlExecutor, r: BackupRecord): Promise<boolean> {
  try {
    await db.query("select public.ops_backup_record($1, $2, $3, $4, $5, $6)", [r.kind, r.mode, r.target, r.ok, r.rows ?? null, r.error ?? null]);
    return true;
  } catch (error) {
    console.warn(`backup not recorded in the database: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
