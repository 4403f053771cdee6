import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as download } from "@/app/api/v1/attachments/[id]/download/route";
import { clientExecutor } from "@/lib/db/postgres";
import { DEMO_ATTACHMENTS, seedDemoAttachments } from "@/lib/db-tools/seed-attachments";
import { setStorage } from "@/lib/storage";
import { LocalStorage } from "@/lib/storage/local";
import { CUSTOMERS, type DemoUser } from "../helpers/demo";
import { invoke } from "../helpers/http";
import { openPgTestDb, type PgTestDatabase } from "../helpers/pg";
import { tokenFor } from "../helpers/router";

// The demo attachments on real Postgres, as `npm run db:seed` records them (after seed.sql):
// rows for both companies, a second (forced) run adds nothing, a lost file is written again, and
// the download route serves the owner the exact bytes and the other company a 404.

let db: PgTestDatabase;
let client: pg.Client;
let dir = "";
let storage: LocalStorage;

beforeAll(async () => {
  db = await openPgTestDb();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  dir = await mkdtemp(path.join(tmpdir(), "duly-pg-seed-files-"));
  storage = new LocalStorage(dir);
  setStorage(storage);
});

afterAll(async () => {
  setStorage(undefined);
  await client?.end();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

const count = async () => (await db.query<{ customer_id: string; n: number }>("select customer_id::text, count(*)::int as n from public.attachments group by 1 order by 1"));

async function get(who: DemoUser, id: string): Promise<Response> {
  const req = new Request(`http://localhost/api/v1/attachments/${id}/download`, { headers: { authorization: `Bearer ${await tokenFor(who)}` } });
  return invoke(download, req, { id });
}

describe("demo attachments on Postgres", () => {
  it("are recorded for both companies, once, however often the seed runs", async () => {
    expect(await seedDemoAttachments(clientExecutor(client), storage)).toEqual({ inserted: DEMO_ATTACHMENTS.length, written: DEMO_ATTACHMENTS.length });
    const first = await count();
    expect(first.map((r) => r.customer_id)).toEqual([CUSTOMERS.acme, CUSTOMERS.bluesky]);
    expect(await seedDemoAttachments(clientExecutor(client), storage)).toEqual({ inserted: 0, written: 0 });
    expect(await seedDemoAttachments(clientExecutor(client), storage, { force: true })).toEqual({ inserted: 0, written: 0 });
    expect(await count()).toEqual(first);
  });

  it("a lost file is written again with the same bytes", async () => {
    const f = DEMO_ATTACHMENTS[4];
    const p = `${f.customerId}/${f.id}`;
    const original = await storage.getBytes(p);
    await storage.remove(p);
    expect(await seedDemoAttachments(clientExecutor(client), storage)).toEqual({ inserted: 0, written: 1 });
    expect(await storage.getBytes(p)).toEqual(original);
  });

  it("the owner downloads the exact bytes of a shared file; the other company gets 404", async () => {
    for (const f of DEMO_ATTACHMENTS.filter((x) => !x.internal)) {
      const owner: DemoUser = f.customerId === CUSTOMERS.acme ? "acme" : "bluesky";
      const other: DemoUser = owner === "acme" ? "bluesky" : "acme";
      const res = await get(owner, f.id);
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(f.bytes());
      const denied = await get(other, f.id);
      expect(denied.status).toBe(404);
      expect(await denied.text()).not.toContain(f.fileName);
    }
  });
});
