import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { DEMO_ATTACHMENTS, seedDemoAttachments } from "@/lib/db-tools/seed-attachments";
import { backupFiles, restoreFiles } from "@/lib/storage/file-backup";
import { LocalStorage } from "@/lib/storage/local";
import { SupabaseStorage } from "@/lib/storage/supabase";
import type { StoragePort } from "@/lib/storage/types";
import { installFakeStorage, startFakeSupabase, type FakeSupabase } from "../helpers/fake-supabase";
import { openPgliteTestDb } from "../helpers/pglite";
import type { TestDb } from "../helpers/test-db";

// Off-site copies of the attachment files (npm run files:backup / files:restore), which database
// backups do not hold: every row's object copied and checked, only what changed copied again, a
// lost object put back from the copy, and a copy that does not match its row never restored.

let db: TestDb;
let exec: SqlExecutor;
const dirs: string[] = [];
const tempDir = async (name: string) => {
  const d = await mkdtemp(path.join(tmpdir(), `duly-files-${name}-`));
  dirs.push(d);
  return d;
};
const pathOf = (f: (typeof DEMO_ATTACHMENTS)[number]) => `${f.customerId}/${f.id}`;

beforeAll(async () => {
  db = await openPgliteTestDb();
  exec = { exec: async (sql) => void (await db.query(sql)), query: (sql, params) => db.query(sql, params) };
});

afterAll(async () => {
  await db?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function describeStore(name: string, makeStore: () => Promise<{ store: StoragePort; drop: (p: string) => Promise<void> }>) {
  describe(`files backup and restore: ${name}`, () => {
    let store: StoragePort;
    let drop: (p: string) => Promise<void>;
    let backup = "";

    beforeAll(async () => {
      ({ store, drop } = await makeStore());
      await db.query("delete from public.attachments");
      await seedDemoAttachments(exec, store, { force: true });
      backup = await tempDir(name);
    });

    it("copies every attachment's file, checked against its row, and writes a manifest", async () => {
      const r = await backupFiles(exec, store, backup);
      expect(r).toMatchObject({ files: DEMO_ATTACHMENTS.length, copied: DEMO_ATTACHMENTS.length, unchanged: 0, problems: [] });
      for (const f of DEMO_ATTACHMENTS) {
        expect(Buffer.from(await readFile(path.join(backup, "files", f.customerId, f.id)))).toEqual(Buffer.from(f.bytes()));
      }
      const manifest = JSON.parse(await readFile(path.join(backup, "manifest.json"), "utf8")) as { files: { path: string; sha256: string }[] };
      expect(manifest.files.map((m) => m.path).sort()).toEqual(DEMO_ATTACHMENTS.map(pathOf).sort());
      expect(manifest.files.every((m) => /^[0-9a-f]{64}$/.test(m.sha256))).toBe(true);
    });

    it("a second run copies nothing unchanged, and copies again a file whose copy was damaged", async () => {
      expect(await backupFiles(exec, store, backup)).toMatchObject({ copied: 0, unchanged: DEMO_ATTACHMENTS.length });
      const f = DEMO_ATTACHMENTS[0];
      await writeFile(path.join(backup, "files", f.customerId, f.id), "not the report");
      expect(await backupFiles(exec, store, backup)).toMatchObject({ copied: 1, unchanged: DEMO_ATTACHMENTS.length - 1 });
      expect(Buffer.from(await readFile(path.join(backup, "files", f.customerId, f.id)))).toEqual(Buffer.from(f.bytes()));
    });

    it("puts back objects the store lost, byte for byte, and leaves the others alone", async () => {
      const lost = [DEMO_ATTACHMENTS[1], DEMO_ATTACHMENTS[5]];
      for (const f of lost) await drop(pathOf(f));
      for (const f of lost) expect(await store.getBytes(pathOf(f))).toBeNull();
      const r = await restoreFiles(exec, store, backup);
      expect(r).toEqual({ files: DEMO_ATTACHMENTS.length, restored: 2, present: DEMO_ATTACHMENTS.length - 2, problems: [] });
      for (const f of lost) expect(Buffer.from((await store.getBytes(pathOf(f)))!)).toEqual(Buffer.from(f.bytes()));
    });

    it("never restores a copy that does not match its row, and says which files it could not restore", async () => {
      const [tampered, absent] = [DEMO_ATTACHMENTS[2], DEMO_ATTACHMENTS[3]];
      await drop(pathOf(tampered));
      await drop(pathOf(absent));
      await writeFile(path.join(backup, "files", tampered.customerId, tampered.id), Buffer.from(tampered.bytes()).reverse());
      await rm(path.join(backup, "files", absent.customerId, absent.id));
      const r = await restoreFiles(exec, store, backup);
      expect(r.restored).toBe(0);
      expect(r.problems).toEqual(
        expect.arrayContaining([
          { path: pathOf(tampered), reason: "hash_mismatch" },
          { path: pathOf(absent), reason: "not_in_backup" },
        ]),
      );
      expect(await store.getBytes(pathOf(tampered))).toBeNull();
    });

    it("reports a row whose object is gone from the store, and still copies the rest", async () => {
      const fresh = await tempDir(`${name}-fresh`);
      const r = await backupFiles(exec, store, fresh);
      expect(r.copied).toBe(DEMO_ATTACHMENTS.length - 2);
      expect(r.problems.map((p) => p.reason)).toEqual(["missing", "missing"]);
    });

    it("refuses a folder that is not a file backup", async () => {
      await expect(restoreFiles(exec, store, await tempDir(`${name}-empty`))).rejects.toThrow(/not a file backup/);
    });
  });
}

describeStore("local folder", async () => {
  const root = await tempDir("store");
  return { store: new LocalStorage(root), drop: (p) => rm(path.join(root, ...p.split("/")), { force: true }) };
});

let fake: FakeSupabase;
describeStore("Supabase Storage (loopback fake)", async () => {
  fake = await startFakeSupabase();
  const key = "service-role-key-for-file-backup-tests";
  const objects = installFakeStorage(fake, { serviceRoleKey: key }).objects;
  const store = new SupabaseStorage({ url: fake.url, serviceRoleKey: key });
  return { store, drop: async (p) => void objects.delete(`attachments/${p}`) };
});
afterAll(async () => {
  await fake?.close();
});

describe("npm run files:backup", () => {
  it("runs as a script against the embedded database and store in DATA_DIR, and fails on bad usage", async () => {
    const run = promisify(execFile);
    const cli = path.resolve("node_modules/.bin/tsx");
    const dataDir = await tempDir("cli");
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", NEXT_PUBLIC_SUPABASE_URL: "", SEED_DEMO_DATA: "true" };
    await run(cli, ["--conditions=react-server", "scripts/db.ts", "migrate"], { env });
    const out = await run(cli, ["--conditions=react-server", "scripts/files.ts", "backup", path.join(dataDir, "copy")], { env });
    expect(out.stdout).toMatch(/files backup in .*: 0 files, 0 copied/);
    await expect(run(cli, ["--conditions=react-server", "scripts/files.ts", "restore"], { env })).rejects.toMatchObject({ code: 2 });
    // Three fresh processes, one of them migrating and seeding an empty embedded database: about
    // 20 s alone, past 60 s when the two cores are shared with other work (seen in CI).
  }, 180_000);
});
