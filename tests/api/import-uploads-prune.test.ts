import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as prune } from "@/app/api/cron/idempotency-prune/route";
import { beginImportUpload, IMPORT_UPLOAD_RETENTION_MS, pruneImportUploads, receiveImportUpload, takeImportUpload } from "@/lib/data/import-uploads";
import { resetEnvCache } from "@/lib/env";
import { getStorage, setStorage } from "@/lib/storage";
import { actorOf } from "../helpers/as";
import { USERS } from "../helpers/demo";
import { openTestDatabase } from "../helpers/pglite";

// Import files uploaded directly and never imported are removed by the daily prune job once
// their retention has passed (the token's 30 minutes, then 2 h 30 min in which a Supabase
// signed URL could still write); a recent upload, and one whose import took it, are left alone.
// The app's clock is moved on with fake time (Date only: the database keeps its own).

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
let dataDir = "";
const previous = { dataDir: process.env.DATA_DIR, secret: process.env.CRON_SECRET };
const SECRET = "prune-test-cron-secret-0123456789abcdef";
const MINUTE = 60_000;
const korean = actorOf("korean");

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "duly-import-prune-"));
  process.env.DATA_DIR = dataDir;
  process.env.CRON_SECRET = SECRET;
  resetEnvCache();
  setStorage(undefined);
  ({ db } = await openTestDatabase());
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  for (const [key, value] of [["DATA_DIR", previous.dataDir], ["CRON_SECRET", previous.secret]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
  setStorage(undefined);
  await rm(dataDir, { recursive: true, force: true });
});

/** Begins a direct upload and sends its bytes, at the app's current (possibly fake) time. */
async function uploaded(name: string): Promise<{ token: string; path: string; id: string }> {
  const bytes = new TextEncoder().encode(`SKU,Qty\nKEYB-FELT,1\n# ${name}\n`);
  const { token } = await beginImportUpload(korean, { file_name: name, size: bytes.length });
  const put = await receiveImportUpload(korean, token, new Request("http://localhost/upload", { method: "PUT", body: bytes }));
  expect(put.size_bytes).toBe(bytes.length);
  const row = (await db.query<{ id: string; storage_path: string }>("select id, storage_path from public.import_uploads where file_name = $1", [name])).rows[0];
  expect(row.storage_path).toBe(`${USERS.korean.id}/${row.id}`);
  return { token, path: row.storage_path, id: row.id };
}

const stored = async (p: string) => (await (await getStorage()).getBytes(p)) !== null;
const recorded = async (id: string) => (await db.query("select 1 from public.import_uploads where id = $1", [id])).rows.length === 1;

describe("pruning abandoned import uploads", () => {
  it("an upload never imported is removed after its retention; a recent one and a taken one are kept until then", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const old = await uploaded("abandoned.xlsx");
    const taken = await uploaded("imported.csv");
    const file = await takeImportUpload(korean, taken.token, "imported.csv");
    expect(new TextDecoder().decode(file.bytes)).toContain("KEYB-FELT");
    // Taken: the file was removed by the import and its record with it.
    expect(await stored(taken.path)).toBe(false);
    expect(await recorded(taken.id)).toBe(false);

    vi.setSystemTime(start + 2 * 60 * MINUTE);
    const recent = await uploaded("recent.xlsx");

    // Just before the old one's retention ends (its token expired at +30 min), nothing goes.
    vi.setSystemTime(start + 30 * MINUTE + IMPORT_UPLOAD_RETENTION_MS - MINUTE);
    expect(await pruneImportUploads()).toEqual({ stale: 0, objects_removed: 0, forgotten: 0, failed: 0 });
    expect(await stored(old.path)).toBe(true);

    // Past it: the abandoned file and its record are gone; the recent upload stays, file and all.
    vi.setSystemTime(start + 30 * MINUTE + IMPORT_UPLOAD_RETENTION_MS + MINUTE);
    expect(await pruneImportUploads()).toEqual({ stale: 1, objects_removed: 1, forgotten: 1, failed: 0 });
    expect(await stored(old.path)).toBe(false);
    expect(await recorded(old.id)).toBe(false);
    expect(await stored(recent.path)).toBe(true);
    expect(await recorded(recent.id)).toBe(true);

    // The daily job (the cron route) removes the recent one once its own retention has passed.
    vi.setSystemTime(start + 2 * 60 * MINUTE + 30 * MINUTE + IMPORT_UPLOAD_RETENTION_MS + MINUTE);
    const res = await prune(new Request("http://localhost/api/cron/idempotency-prune", { headers: { authorization: `Bearer ${SECRET}` } }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { import_uploads: unknown } };
    expect(body.data.import_uploads).toEqual({ stale: 1, objects_removed: 1, forgotten: 1, failed: 0 });
    expect(await stored(recent.path)).toBe(false);
    expect(await recorded(recent.id)).toBe(false);
  });

  it("the job's functions are the service role's only; the table is closed to users", async () => {
    for (const sql of [
      "select public.jobs_import_uploads_stale(now() + interval '1 day', 10)",
      "select public.jobs_import_uploads_forget('[]'::jsonb, now())",
      `select public.import_upload_begin(gen_random_uuid(), 'x/y', 'a.xlsx', 1, now(), '${USERS.korean.id}')`,
      `select public.import_upload_taken(gen_random_uuid(), '${USERS.korean.id}')`,
      "select id from public.import_uploads",
    ]) {
      for (const role of ["authenticated", "anon"]) {
        await db.query("begin");
        try {
          await db.query(`set local role ${role}`);
          await expect(db.query(sql), `${role}: ${sql}`).rejects.toMatchObject({ code: "42501" });
        } finally {
          await db.query("rollback");
        }
      }
    }
    // The service role may: the same call, allowed.
    await db.query("begin");
    try {
      await db.query("set local role service_role");
      expect((await db.query<{ r: unknown }>("select public.jobs_import_uploads_stale(now(), 10) as r")).rows[0].r).toEqual([]);
    } finally {
      await db.query("rollback");
    }
  });
});
