import { createHash } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { assertStoragePath, hasObject, type StoragePort } from "./types";

// Off-site copies of the attachment files (npm run files:backup / files:restore). Database backups
// and Supabase's PITR hold the attachments' rows but not the bytes in the bucket, so the storage
// recovery point (docs/operations.md) needs its own copy. The rows say which files exist: every
// attachment's object is copied into <dir>/files/<storage path>, checked against its size and
// SHA-256, and only when the copy there is missing or differs (a run every few hours copies only
// what is new). Nothing is ever deleted from the backup folder, so files of rows deleted since
// stay available to restore an older database backup. A restore puts back every object that the
// database's rows name and the store lacks, checked the same way; it never overwrites an object.

type Row = { storage_path: string; size_bytes: string | number; sha256: string | null; content_type: string };

export type FileBackupResult = {
  files: number;
  copied: number;
  unchanged: number;
  bytes: number;
  /** Rows whose object the store does not have, or whose bytes do not match the row. */
  problems: { path: string; reason: "missing" | "size_mismatch" | "hash_mismatch" }[];
};

export type FileRestoreResult = {
  files: number;
  restored: number;
  present: number;
  problems: { path: string; reason: "not_in_backup" | "size_mismatch" | "hash_mismatch" }[];
};

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function rows(db: SqlExecutor): Promise<Row[]> {
  return db.query<Row>("select storage_path, size_bytes, sha256, content_type from public.attachments order by storage_path");
}

/** The bytes' hash, and whether they are the row's file (its size, and its hash when recorded). */
function check(row: Row, bytes: Uint8Array): { hash: string; problem: "size_mismatch" | "hash_mismatch" | null } {
  const hash = sha256(bytes);
  if (bytes.length !== Number(row.size_bytes)) return { hash, problem: "size_mismatch" };
  if (row.sha256 && hash !== row.sha256) return { hash, problem: "hash_mismatch" };
  return { hash, problem: null };
}

function fileOf(dir: string, storagePath: string): string {
  assertStoragePath(storagePath);
  return path.join(dir, "files", ...storagePath.split("/"));
}

async function readIfPresent(file: string): Promise<Uint8Array | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Copies every attachment's object from the store into `dir`; see the file's comment. */
export async function backupFiles(db: SqlExecutor, storage: StoragePort, dir: string): Promise<FileBackupResult> {
  const result: FileBackupResult = { files: 0, copied: 0, unchanged: 0, bytes: 0, problems: [] };
  const manifest: { path: string; size: number; sha256: string | null; content_type: string }[] = [];
  for (const row of await rows(db)) {
    result.files++;
    const file = fileOf(dir, row.storage_path);
    const have = await readIfPresent(file);
    const kept = have ? check(row, have) : null;
    if (have && kept?.problem === null) {
      result.unchanged++;
      manifest.push({ path: row.storage_path, size: have.length, sha256: kept.hash, content_type: row.content_type });
      continue;
    }
    const bytes = await storage.getBytes(row.storage_path);
    if (!bytes) {
      result.problems.push({ path: row.storage_path, reason: "missing" });
      continue;
    }
    const { hash, problem } = check(row, bytes);
    if (problem) {
      // Kept out of the backup: a copy that does not match its row would restore the wrong bytes.
      result.problems.push({ path: row.storage_path, reason: problem });
      continue;
    }
    await mkdir(path.dirname(file), { recursive: true });
    // Written aside and renamed, so an interrupted run never leaves a half file that looks whole.
    await writeFile(`${file}.partial`, bytes);
    await rename(`${file}.partial`, file);
    result.copied++;
    result.bytes += bytes.length;
    manifest.push({ path: row.storage_path, size: bytes.length, sha256: hash, content_type: row.content_type });
  }
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, "manifest.json"),
    `${JSON.stringify({ created_at: new Date().toISOString(), files: manifest, problems: result.problems }, null, 2)}\n`,
  );
  return result;
}

/** Puts back every object the database's attachments name and the store lacks, from `dir`. */
export async function restoreFiles(db: SqlExecutor, storage: StoragePort, dir: string): Promise<FileRestoreResult> {
  await stat(path.join(dir, "files")).catch(() => {
    throw new Error(`${dir} is not a file backup (no files/ folder): make one with npm run files:backup`);
  });
  const result: FileRestoreResult = { files: 0, restored: 0, present: 0, problems: [] };
  for (const row of await rows(db)) {
    result.files++;
    if (await hasObject(storage, row.storage_path)) {
      result.present++;
      continue;
    }
    const bytes = await readIfPresent(fileOf(dir, row.storage_path));
    if (!bytes) {
      result.problems.push({ path: row.storage_path, reason: "not_in_backup" });
      continue;
    }
    const { problem } = check(row, bytes);
    if (problem) {
      result.problems.push({ path: row.storage_path, reason: problem });
      continue;
    }
    await storage.put(row.storage_path, bytes, row.content_type);
    result.restored++;
  }
  return result;
}
