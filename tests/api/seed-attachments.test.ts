import { crc32, inflateSync } from "node:zlib";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as download } from "@/app/api/v1/attachments/[id]/download/route";
import { setTransport } from "@/lib/db";
import { DEMO_ATTACHMENTS, seedDemoAttachments } from "@/lib/db-tools/seed-attachments";
import { openEmbedded } from "@/lib/db/embedded";
import { pgliteExecutor, type PgliteTransport } from "@/lib/db/pglite";
import { resetEnvCache } from "@/lib/env";
import { localStorageRoot, setStorage } from "@/lib/storage";
import { LocalStorage } from "@/lib/storage/local";
import { checkFile } from "@/lib/storage/file-type";
import { CUSTOMERS, type DemoUser } from "../helpers/demo";
import { invoke } from "../helpers/http";
import { client, tokenFor } from "../helpers/router";

// The demo attachments (lib/db-tools/seed-attachments.ts) on a fresh embedded database started the way
// the app starts it (openEmbedded on an empty DATA_DIR): rows for both companies, valid files
// whose bytes the download route returns exactly, isolation between the companies, and
// idempotence across restarts, a forced re-seed (npm run db:seed) and a lost file.

let dataDir = "";
let transport: PgliteTransport;
const previousDataDir = process.env.DATA_DIR;

type Row = { id: string; customer_id: string; inspection_id: string; kind: string; file_name: string; content_type: string; size_bytes: string; storage_path: string; sha256: string; internal: boolean; status: string };

async function start(): Promise<PgliteTransport> {
  transport = await openEmbedded(dataDir, true);
  setTransport(transport);
  return transport;
}

async function stop(): Promise<void> {
  setTransport(undefined);
  await transport.close();
}

async function rows(): Promise<Row[]> {
  return (
    await transport.db.query<Row>(
      `select a.id::text, a.customer_id::text, a.inspection_id::text, a.kind, a.file_name, a.content_type, a.size_bytes::text,
         a.storage_path, a.sha256, a.internal, i.status
       from public.attachments a join public.inspection_applications i on i.id = a.inspection_id order by a.id`,
    )
  ).rows;
}

async function files(): Promise<string[]> {
  return (await readdir(localStorageRoot(), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
}

async function get(who: DemoUser, id: string): Promise<Response> {
  const req = new Request(`http://localhost/api/v1/attachments/${id}/download`, { headers: { authorization: `Bearer ${await tokenFor(who)}` } });
  return invoke(download, req, { id });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "duly-seed-files-"));
  process.env.DATA_DIR = dataDir;
  resetEnvCache();
  setStorage(undefined);
  await start();
}, 120_000);

afterAll(async () => {
  await stop();
  setStorage(undefined);
  if (previousDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = previousDataDir;
  resetEnvCache();
  await rm(dataDir, { recursive: true, force: true });
});

describe("demo attachments after a fresh embedded start", () => {
  it("records every demo file for both companies, on their applications, with a file in the store for each", async () => {
    const all = await rows();
    expect(all.map((r) => r.id)).toEqual(DEMO_ATTACHMENTS.map((f) => f.id));
    const by = (c: string) => all.filter((r) => r.customer_id === c);
    expect(by(CUSTOMERS.acme).length).toBeGreaterThan(0);
    expect(by(CUSTOMERS.bluesky).length).toBeGreaterThan(0);
    // A completed application of each company has its report.
    for (const c of [CUSTOMERS.acme, CUSTOMERS.bluesky]) {
      expect(by(c).some((r) => r.kind === "report" && r.status === "completed" && !r.internal)).toBe(true);
    }
    for (const r of all) expect(r.storage_path).toBe(`${r.customer_id}/${r.id}`);
    expect(await files()).toEqual(all.map((r) => r.id).sort());
  });

  it("each file passes the upload content checks for its name and type", async () => {
    const storage = new LocalStorage(localStorageRoot());
    for (const r of await rows()) {
      const bytes = (await storage.getBytes(r.storage_path))!;
      expect(bytes.length).toBe(Number(r.size_bytes));
      expect(await checkFile({ bytes, fileName: r.file_name, declaredType: r.content_type })).toMatchObject({ ok: true });
    }
  });

  it("the PDFs are well formed: every cross-reference offset points at its object", async () => {
    const storage = new LocalStorage(localStorageRoot());
    for (const r of (await rows()).filter((x) => x.content_type === "application/pdf")) {
      const text = Buffer.from((await storage.getBytes(r.storage_path))!).toString("latin1");
      const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
      expect(text.slice(startxref, startxref + 4)).toBe("xref");
      const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
      expect(offsets.length).toBeGreaterThanOrEqual(5);
      offsets.forEach((o, i) => expect(text.slice(o, o + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
      expect(text).toContain("/Type /Page ");
    }
  });

  it("the PNGs are well formed: chunk CRCs hold and the image data inflates to its size", async () => {
    const storage = new LocalStorage(localStorageRoot());
    for (const r of (await rows()).filter((x) => x.content_type === "image/png")) {
      const png = Buffer.from((await storage.getBytes(r.storage_path))!);
      let at = 8;
      const chunks: Record<string, Buffer> = {};
      while (at < png.length) {
        const len = png.readUInt32BE(at);
        const type = png.toString("latin1", at + 4, at + 8);
        const data = png.subarray(at + 8, at + 8 + len);
        expect(png.readUInt32BE(at + 8 + len)).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
        chunks[type] = data;
        at += 12 + len;
      }
      expect(Object.keys(chunks)).toEqual(["IHDR", "IDAT", "IEND"]);
      const width = chunks.IHDR.readUInt32BE(0);
      const height = chunks.IHDR.readUInt32BE(4);
      expect(inflateSync(chunks.IDAT).length).toBe((width * 3 + 1) * height);
    }
  });

  it("the owner downloads the exact bytes of each shared file; staff download every file", async () => {
    const storage = new LocalStorage(localStorageRoot());
    for (const r of await rows()) {
      const owner: DemoUser = r.customer_id === CUSTOMERS.acme ? "acme" : "bluesky";
      const expected = (await storage.getBytes(r.storage_path))!;
      const staff = await get("manager", r.id);
      expect(staff.status).toBe(200);
      expect(new Uint8Array(await staff.arrayBuffer())).toEqual(expected);
      const res = await get(owner, r.id);
      if (r.internal) {
        expect(res.status).toBe(404);
        continue;
      }
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(r.content_type);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(expected);
    }
  });

  it("Blue Sky gets 404 for every seeded ACME file (download and metadata), and ACME for Blue Sky's", async () => {
    for (const r of await rows()) {
      const other: DemoUser = r.customer_id === CUSTOMERS.acme ? "bluesky" : "acme";
      const res = await get(other, r.id);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(r.file_name);
      const meta = await client(other).get(`/api/v1/attachments/${r.id}`);
      expect(meta.status).toBe(404);
      expect(JSON.stringify(meta.body)).not.toContain(r.file_name);
    }
  });

  it("a restart, and a forced re-seed as `npm run db:seed` does, add no row and no file", async () => {
    const before = await rows();
    const filesBefore = await files();
    await stop();
    await start();
    expect(await rows()).toEqual(before);
    const again = await seedDemoAttachments(pgliteExecutor(transport.db), new LocalStorage(localStorageRoot()), { force: true });
    expect(again).toEqual({ inserted: 0, written: 0 });
    expect(await rows()).toEqual(before);
    expect(await files()).toEqual(filesBefore);
    const [{ n }] = (await transport.db.query<{ n: number }>("select count(*)::int as n from public.attachments")).rows;
    expect(n).toBe(DEMO_ATTACHMENTS.length);
  });

  it("a file lost from the store is written again on the next start, with the same bytes", async () => {
    const [first] = await rows();
    const storage = new LocalStorage(localStorageRoot());
    const original = (await storage.getBytes(first.storage_path))!;
    await storage.remove(first.storage_path);
    expect((await get("manager", first.id)).status).toBe(404);
    await stop();
    await start();
    expect(await storage.getBytes(first.storage_path)).toEqual(original);
    const res = await get("manager", first.id);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(original);
  });

  it("a demo row an administrator deleted is not brought back by a restart (only a forced seed restores it)", async () => {
    const [first] = await rows();
    await transport.db.query("delete from public.attachments where id = $1", [first.id]);
    await stop();
    await start();
    expect((await rows()).map((r) => r.id)).not.toContain(first.id);
    const forced = await seedDemoAttachments(pgliteExecutor(transport.db), new LocalStorage(localStorageRoot()), { force: true });
    expect(forced.inserted).toBe(1);
    expect((await rows()).map((r) => r.id)).toContain(first.id);
  });
});
