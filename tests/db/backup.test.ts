import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseSummary } from "@/lib/db-tools/backup";
import { openPglite, pgliteExecutor } from "@/lib/db/pglite";
import { TEMPLATE_FILE } from "../helpers/pglite-template";

// npm run db:backup / db:restore on the embedded database, through the scripts themselves:
// PGlite's data-folder dump, then wipe, restore → the same rows in every table and the stock
// invariant holds; the previous folder is kept; refusals leave everything as it was.

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

let dataDir: string;
let pgliteDir: string;
let file: string;
let before: Awaited<ReturnType<typeof databaseSummary>>;

function script(name: string, args: string[]) {
  return run(TSX, [path.join(ROOT, "scripts", name), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", NEXT_PUBLIC_SUPABASE_URL: "", SUPABASE_SERVICE_ROLE_KEY: "" },
    timeout: 120_000,
  });
}

async function summary() {
  const db = await openPglite({ dataDir: pgliteDir });
  try {
    return await databaseSummary(pgliteExecutor(db));
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "duly-embedded-backup-"));
  pgliteDir = path.join(dataDir, "pglite");
  file = path.join(dataDir, "backups", "embedded.tar.gz");
  // The demo database, as a first start would leave it, plus a little history of this file's own.
  const db = await openPglite({ dataDir: pgliteDir, loadDataDir: new Blob([await readFile(TEMPLATE_FILE)]) });
  await db.query("insert into public.idempotency_keys (actor_id, key, request_hash) values ('a0000000-0000-4000-8000-000000000003', 'bk', 'h')");
  before = await databaseSummary(pgliteExecutor(db));
  await db.close();
  expect(before.stockViolations).toBe(0);
  expect(before.counts["public.stock_movements"]).toBeGreaterThan(0);
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("db:backup and db:restore, embedded", { timeout: 120_000 }, () => {
  it("refuses to back up while the database is open in another process", async () => {
    const open = await openPglite({ dataDir: pgliteDir });
    try {
      await expect(script("backup.ts", [file])).rejects.toMatchObject({ stderr: expect.stringContaining("stop the app first") });
    } finally {
      await open.close();
    }
    expect(existsSync(file)).toBe(false);
  });

  it("backs up, and after a wipe restores the same rows in every table with the invariant holding", async () => {
    const out = await script("backup.ts", [file]);
    expect(out.stdout).toContain(`backup written: ${file}`);
    expect(out.stdout).toContain("stock invariant holds");

    const db = await openPglite({ dataDir: pgliteDir });
    await db.exec("drop schema public cascade; create schema public;");
    await db.close();

    const restored = await script("restore.ts", [file]);
    expect(restored.stdout).toContain("stock invariant holds");
    expect(await summary()).toEqual(before);
    // The wiped folder is kept beside the restored one, not deleted.
    const kept = (await readdir(dataDir)).filter((n) => n.startsWith("pglite.before-restore-"));
    expect(kept).toHaveLength(1);
  });

  it("restores into an empty DATA_DIR (a new machine)", async () => {
    await rm(pgliteDir, { recursive: true, force: true });
    await script("restore.ts", [file]);
    expect(await summary()).toEqual(before);
  });

  it("refuses a file it did not make, or a Postgres backup, and leaves the database alone", async () => {
    const junk = path.join(dataDir, "junk.tar.gz");
    await writeFile(junk, "not a backup");
    await expect(script("restore.ts", [junk])).rejects.toMatchObject({ stderr: expect.stringContaining("not a backup made by npm run db:backup") });
    const pgBackup = path.join(dataDir, "pg.sql");
    await writeFile(pgBackup, "-- duly-erp backup v1 mode=postgres schema=20261122000810 created=x\n");
    await expect(script("restore.ts", [pgBackup])).rejects.toMatchObject({ stderr: expect.stringContaining("set DATABASE_URL") });
    // A gzip that is not a PGlite folder fails before the current database is moved.
    const gz = path.join(dataDir, "other.tar.gz");
    await writeFile(gz, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]));
    await expect(script("restore.ts", [gz])).rejects.toMatchObject({ code: 1 });
    expect(await summary()).toEqual(before);
  });
});
