import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as stream } from "@/app/api/v1/inspections/[id]/messages/stream/route";
import { setTransport } from "@/lib/db";
import type { Transport } from "@/lib/db/types";
import { messageHub } from "@/lib/realtime/message-hub";
import { CUSTOMERS, type DemoUser } from "../helpers/demo";
import { client, tokenFor } from "../helpers/router";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// GET /api/v1/inspections/:id/messages/stream, on PGlite (tests/api/message-stream.test.ts) and on
// real Postgres (tests/pg/message-stream.test.ts, a dedicated LISTEN connection): who may open a
// thread's stream (another company's is 404, as if it did not exist), and that a message sent
// through the API reaches the other side's open stream, read through the receiver's own session,
// while streams of other threads and other companies receive nothing.

type Event = { event: string; data: string };

/** An open stream as a user: read its events one by one, close it when done. */
async function open(who: DemoUser | null, inspectionId: string) {
  const abort = new AbortController();
  const headers = new Headers();
  if (who) headers.set("authorization", `Bearer ${await tokenFor(who)}`);
  const req = new Request(`http://localhost/api/v1/inspections/${inspectionId}/messages/stream`, { headers, signal: abort.signal });
  const res = await stream(req, { params: Promise.resolve({ id: inspectionId }) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: Event[] = [];
  let done = false;
  const pump = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined) events.push({ event, data });
      }
    }
    done = true;
  })();
  return {
    res,
    events,
    /** Waits until an event of that name has arrived (or fails after a while). */
    async next(name: string, timeoutMs = 3000): Promise<Event> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find((e) => e.event === name);
        if (found) {
          events.splice(events.indexOf(found), 1);
          return found;
        }
        if (done || Date.now() > until) throw new Error(`no ${name} event (got ${JSON.stringify(events)})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      abort.abort();
      await reader.cancel().catch(() => undefined);
      await pump;
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 300));

async function fetchJson(who: DemoUser | null, inspectionId: string): Promise<{ status: number; text: string }> {
  const headers = new Headers();
  if (who) headers.set("authorization", `Bearer ${await tokenFor(who)}`);
  const res = await stream(new Request(`http://localhost/api/v1/inspections/${inspectionId}/messages/stream`, { headers }), {
    params: Promise.resolve({ id: inspectionId }),
  });
  return { status: res.status, text: await res.text() };
}

export function describeMessageStream(makeDb: MakeDb) {
  describe("GET /api/v1/inspections/:id/messages/stream", () => {
    const getDb = databaseForSuite(makeDb);
    const ids = { acme: "", acme2: "", bluesky: "" };

    beforeAll(async () => {
      for (const [key, customer] of [["acme", CUSTOMERS.acme], ["acme2", CUSTOMERS.acme], ["bluesky", CUSTOMERS.bluesky]] as const) {
        const [row] = await getDb().query<{ id: string }>(
          `insert into public.inspection_applications (number, customer_id, product, factory_name, inspection_type, requested_date)
           values ('INS-SSE-' || gen_random_uuid(), $1, 'Stream monitor', 'Stream Factory', 'pre_shipment', current_date) returning id`,
          [customer],
        );
        ids[key] = row.id;
      }
    });
    // Before the database goes (hooks run in reverse): the Postgres listener holds a connection to it.
    afterAll(() => messageHub().stop());

    it("refuses anonymous callers (401) and another company's thread (404, nothing of it in the body)", async () => {
      const anon = await fetchJson(null, ids.acme);
      expect(anon.status).toBe(401);
      const other = await fetchJson("bluesky", ids.acme);
      expect(other.status).toBe(404);
      expect(other.text).not.toContain("Stream");
      expect(other.text).not.toContain("INS-SSE");
      const bad = await fetchJson("acme", "not-a-uuid");
      expect(bad.status).toBe(404);
    });

    it("opens for the owning customer and for staff, as an event stream that says it is live", async () => {
      for (const who of ["acme", "manager"] as const) {
        const s = await open(who, ids.acme);
        expect(s.res.status).toBe(200);
        expect(s.res.headers.get("content-type")).toContain("text/event-stream");
        expect(s.res.headers.get("cache-control")).toContain("no-transform");
        expect(JSON.parse((await s.next("ready")).data)).toEqual({ live: true });
        await s.close();
      }
    });

    it("delivers staff's message to the customer's open stream and the customer's reply to staff's, each read as the receiver", async () => {
      const customer = await open("acme", ids.acme);
      const staff = await open("manager", ids.acme);
      const otherThread = await open("acme", ids.acme2);
      const otherCompany = await open("bluesky", ids.bluesky);
      await Promise.all([customer.next("ready"), staff.next("ready"), otherThread.next("ready"), otherCompany.next("ready")]);

      const sent = await client("manager").post(`/api/v1/inspections/${ids.acme}/messages`, { body: "Inspector confirmed for Tuesday" });
      expect(sent.status).toBe(201);
      const got = JSON.parse((await customer.next("message")).data);
      expect(got).toMatchObject({ id: sent.body.data.id, body: "Inspector confirmed for Tuesday", from_staff: true, mine: false });
      // Read through the customer's session: no staff-only fields, no email anywhere.
      expect(got).not.toHaveProperty("sender_id");
      expect(JSON.stringify(got)).not.toContain("@duly.test");
      // The sender's own stream gets it too (mine: true), so a second tab stays in step.
      expect(JSON.parse((await staff.next("message")).data)).toMatchObject({ id: sent.body.data.id, mine: true });

      const reply = await client("acme").post(`/api/v1/inspections/${ids.acme}/messages`, { body: "Thank you" });
      expect(reply.status).toBe(201);
      expect(JSON.parse((await staff.next("message")).data)).toMatchObject({ id: reply.body.data.id, body: "Thank you", from_staff: false, mine: false });
      expect(JSON.parse((await customer.next("message")).data)).toMatchObject({ id: reply.body.data.id, mine: true });

      await settle();
      expect(otherThread.events.filter((e) => e.event === "message")).toEqual([]);
      expect(otherCompany.events.filter((e) => e.event === "message")).toEqual([]);
      await Promise.all([customer.close(), staff.close(), otherThread.close(), otherCompany.close()]);
    });

    it("without LISTEN (Supabase mode: no direct connection) reads the thread again every few seconds instead", async () => {
      const real = getDb().transport;
      // The same database behind a transport that says it is Supabase: the hub has nothing to LISTEN on.
      const supabaseLike: Transport = {
        mode: "supabase",
        rpc: (fn, args, caller) => real.rpc(fn, args, caller),
        ping: () => real.ping(),
        close: async () => undefined,
      };
      setTransport(supabaseLike);
      try {
        const s = await open("acme", ids.acme);
        expect(JSON.parse((await s.next("ready")).data)).toEqual({ live: false });
        const sent = await client("manager").post(`/api/v1/inspections/${ids.acme}/messages`, { body: "Polled message" });
        expect(sent.status).toBe(201);
        expect(JSON.parse((await s.next("message", 8000)).data)).toMatchObject({ id: sent.body.data.id, body: "Polled message", mine: false });
        await s.close();
      } finally {
        setTransport(real);
      }
    });

    it("lets go of a stream's subscription once the client has gone", async () => {
      const before = messageHub().size;
      const s = await open("acme", ids.acme2);
      await s.next("ready");
      expect(messageHub().size).toBe(before + 1);
      await s.close();
      await settle();
      expect(messageHub().size).toBe(before);
      const sent = await client("manager").post(`/api/v1/inspections/${ids.acme2}/messages`, { body: "After close" });
      expect(sent.status).toBe(201);
    });
  });
}
