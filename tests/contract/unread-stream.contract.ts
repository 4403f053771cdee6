import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as stream } from "@/app/api/v1/messages/stream/route";
import { setTransport } from "@/lib/db";
import type { UnreadCounts } from "@/lib/data/messages";
import type { Transport } from "@/lib/db/types";
import { messageHub, type MessageNotice } from "@/lib/realtime/message-hub";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, type DemoUser } from "../helpers/demo";
import { client } from "../helpers/router";
import { openStream, refusedStream, type OpenStream } from "../helpers/sse";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// GET /api/v1/messages/stream, on PGlite and on real Postgres: the caller's unread counts, sent at start and again when a new
// message or a read mark changes them, read through the caller's own session. Another company's
// traffic never reaches a customer's stream; the notices behind it carry ids only.

const MIGRATION = path.resolve(__dirname, "../../supabase/migrations/20261130000100_realtime.sql");
const URL_PATH = "/api/v1/messages/stream";
const open = (who: DemoUser) => openStream(stream, URL_PATH, who);
const settle = () => new Promise((r) => setTimeout(r, 400));

async function counts(s: OpenStream, timeoutMs?: number): Promise<UnreadCounts> {
  return JSON.parse((await s.next("unread", timeoutMs)).data) as UnreadCounts;
}
/** Counts in a fixed order (applications with equally recent messages may come in either order). */
const sorted = (c: UnreadCounts) => ({ ...c, inspections: [...c.inspections].sort((a, b) => a.inspection_id.localeCompare(b.inspection_id)) });
const unreadOf = (c: UnreadCounts, inspectionId: string) => c.inspections.find((i) => i.inspection_id === inspectionId)?.unread ?? 0;

function describeUnreadStream(makeDb: MakeDb) {
  describe("GET /api/v1/messages/stream", () => {
    const getDb = databaseForSuite(makeDb);
    const ids = { acme: "", bluesky: "" };

    beforeAll(async () => {
      for (const [key, customer] of [["acme", CUSTOMERS.acme], ["bluesky", CUSTOMERS.bluesky]] as const) {
        const [row] = await getDb().query<{ id: string }>(
          `insert into public.inspection_applications (number, customer_id, product, factory_name, inspection_type, requested_date)
           values ('INS-UNR-' || gen_random_uuid(), $1, 'Unread monitor', 'Unread Factory', 'pre_shipment', current_date) returning id`,
          [customer],
        );
        ids[key] = row.id;
      }
    });
    // Before the database goes (hooks run in reverse): the Postgres listener holds a connection to it.
    afterAll(() => messageHub().stop());

    it("refuses anonymous callers with 401 and opens no stream", async () => {
      const anon = await refusedStream(stream, URL_PATH, null);
      expect(anon.status).toBe(401);
      expect(JSON.parse(anon.text)).toMatchObject({ error: { code: "unauthorized" } });
    });

    it("starts with the caller's own counts, the same as GET /api/v1/messages", async () => {
      for (const who of ["acme", "bluesky", "manager"] as const) {
        const s = await open(who);
        expect(s.res.status).toBe(200);
        expect(s.res.headers.get("content-type")).toContain("text/event-stream");
        expect(JSON.parse((await s.next("ready")).data)).toEqual({ live: true });
        const first = await counts(s);
        const api = await client(who).get("/api/v1/messages");
        expect(sorted(first)).toEqual(sorted(api.body.data));
        await s.close();
      }
    });

    it("raises the customer's count live when staff write, and lowers it when the customer reads; another company's stream stays silent", async () => {
      const acme = await open("acme");
      const bluesky = await open("bluesky");
      const before = await counts(acme);
      const blueskyFirst = await counts(bluesky);

      const sent = await client("manager").post(`/api/v1/inspections/${ids.acme}/messages`, { body: "Report draft attached" });
      expect(sent.status).toBe(201);
      const raised = await counts(acme);
      expect(raised.total).toBe(before.total + 1);
      expect(unreadOf(raised, ids.acme)).toBe(1);
      // Counts name the application, never the message or who wrote it.
      expect(JSON.stringify(raised)).not.toContain("Report draft attached");

      const read = await client("acme").post("/api/v1/messages", { inspection_id: ids.acme });
      expect(read.status).toBe(200);
      const lowered = await counts(acme);
      expect(lowered.total).toBe(before.total);
      expect(unreadOf(lowered, ids.acme)).toBe(0);

      await settle();
      expect(bluesky.events.filter((e) => e.event === "unread")).toEqual([]);
      const again = await client("bluesky").get("/api/v1/messages");
      expect(sorted(again.body.data)).toEqual(sorted(blueskyFirst));
      expect(JSON.stringify(bluesky.events)).not.toContain(ids.acme);
      await Promise.all([acme.close(), bluesky.close()]);
    });

    it("raises staff's count when a customer writes, and lowers it when staff read the thread", async () => {
      const staff = await open("manager");
      const before = await counts(staff);
      const sent = await client("bluesky").post(`/api/v1/inspections/${ids.bluesky}/messages`, { body: "When is the inspector coming?" });
      expect(sent.status).toBe(201);
      const raised = await counts(staff);
      expect(raised.total).toBe(before.total + 1);
      expect(unreadOf(raised, ids.bluesky)).toBe(1);
      const read = await client("korean").post("/api/v1/messages", { inspection_id: ids.bluesky });
      expect(read.status).toBe(200);
      expect((await counts(staff)).total).toBe(before.total);
      await staff.close();
    });

    it("sends nothing when a notice leaves the counts as they were (the customer's own message)", async () => {
      const acme = await open("acme");
      await counts(acme);
      const sent = await client("acme").post(`/api/v1/inspections/${ids.acme}/messages`, { body: "Our own note" });
      expect(sent.status).toBe(201);
      await settle();
      expect(acme.events.filter((e) => e.event === "unread")).toEqual([]);
      await acme.close();
    });

    it("announces new messages and read marks with ids only, never a body", async () => {
      await messageHub().start();
      const seen: MessageNotice[] = [];
      const unsubscribe = messageHub().subscribe((n) => seen.push(n));
      try {
        const sent = await client("manager").post(`/api/v1/inspections/${ids.bluesky}/messages`, { body: "Secret price 1234" });
        expect(sent.status).toBe(201);
        const read = await client("bluesky").post("/api/v1/messages", { inspection_id: ids.bluesky });
        expect(read.body.data.marked).toBeGreaterThan(0);
        await settle();
        expect(seen).toEqual([
          { kind: "message", id: sent.body.data.id, inspection_id: ids.bluesky, customer_id: CUSTOMERS.bluesky, from_staff: true },
          // One notice for the whole mark, however many rows it touched.
          { kind: "read", inspection_id: ids.bluesky, customer_id: CUSTOMERS.bluesky },
        ]);
        // Marking again changes nothing, so nothing is announced.
        await client("bluesky").post("/api/v1/messages", { inspection_id: ids.bluesky });
        await settle();
        expect(seen).toHaveLength(2);
      } finally {
        unsubscribe();
      }
    });

    it("without notices (Supabase mode before Realtime joins) reads the counts again every few seconds", async () => {
      const real = getDb().transport;
      // The same database behind a transport that says it is Supabase and has no Realtime client.
      const supabaseLike: Transport = {
        mode: "supabase",
        rpc: (fn, args, caller) => real.rpc(fn, args, caller),
        ping: () => real.ping(),
        close: async () => undefined,
      };
      setTransport(supabaseLike);
      try {
        const s = await open("acme");
        expect(JSON.parse((await s.next("ready")).data)).toEqual({ live: false });
        const before = await counts(s);
        const sent = await client("manager").post(`/api/v1/inspections/${ids.acme}/messages`, { body: "Polled count" });
        expect(sent.status).toBe(201);
        expect((await counts(s, 8000)).total).toBe(before.total + 1);
        await s.close();
      } finally {
        setTransport(real);
      }
    });

    it("publishes public.messages to Supabase Realtime only where the publication exists (Supabase), once", async () => {
      const db = getDb();
      const published = async () =>
        (await db.query<{ n: number }>(
          "select count(*)::int as n from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'messages'",
        ))[0].n;
      // Migrated here (no Supabase): no publication, and the migration did not fail for it.
      expect((await db.query("select 1 from pg_publication where pubname = 'supabase_realtime'")).length).toBe(0);
      const block = /^do \$\$[\s\S]*?^\$\$;/m.exec(readFileSync(MIGRATION, "utf8"))?.[0];
      expect(block).toBeTruthy();
      await db.query("create publication supabase_realtime");
      try {
        await db.query(block!);
        expect(await published()).toBe(1);
        // Run again (a database where it is already published): no error, still once.
        await db.query(block!);
        expect(await published()).toBe(1);
      } finally {
        await db.query("drop publication supabase_realtime");
      }
    });

    it("lets go of a stream's subscription once the client has gone", async () => {
      const before = messageHub().size;
      const s = await open("bluesky");
      await s.next("ready");
      expect(messageHub().size).toBe(before + 1);
      await s.close();
      await settle();
      expect(messageHub().size).toBe(before);
    });
  });
}

describeUnreadStream(contractDb);
