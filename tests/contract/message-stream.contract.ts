import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as stream } from "@/app/api/v1/inspections/[id]/messages/stream/route";
import { setTransport } from "@/lib/db";
import { closeAllStreams } from "@/lib/http/sse";
import type { Transport } from "@/lib/db/types";
import { messageHub } from "@/lib/realtime/message-hub";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, DEMO_PASSWORD, USERS, type DemoUser } from "../helpers/demo";
import { client, request } from "../helpers/router";
import { openStream, refusedStream } from "../helpers/sse";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// GET /api/v1/inspections/:id/messages/stream, on PGlite and on
// real Postgres (a dedicated LISTEN connection): who may open a
// thread's stream (another company's is 404, as if it did not exist), and that a message sent
// through the API reaches the other side's open stream, read through the receiver's own session,
// while streams of other threads and other companies receive nothing.

const path = (inspectionId: string) => `/api/v1/inspections/${inspectionId}/messages/stream`;
const open = (who: DemoUser | null, inspectionId: string) => openStream(stream, path(inspectionId), who, { id: inspectionId });
const fetchJson = (who: DemoUser | null, inspectionId: string) => refusedStream(stream, path(inspectionId), who, { id: inspectionId });
const settle = () => new Promise((r) => setTimeout(r, 300));

function describeMessageStream(makeDb: MakeDb) {
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

    it("closeAllStreams (shutdown) ends every open stream and its hub subscription", async () => {
      const before = messageHub().size;
      const streams = [await open("acme", ids.acme), await open("manager", ids.acme)];
      await Promise.all(streams.map((s) => s.next("ready")));
      expect(messageHub().size).toBe(before + 2);
      expect(closeAllStreams()).toBeGreaterThanOrEqual(2);
      expect(messageHub().size).toBe(before);
      // Ended by the server: a later event never comes, and nothing is left to close.
      await expect(streams[0].next("message", 200)).rejects.toThrow(/no message event/);
      for (const s of streams) await s.close();
      expect(closeAllStreams()).toBe(0);
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

    it("a stream opened before its session is signed out sends nothing after it, and ends", async () => {
      // A session of its own (the file's shared acme token stays live for the other tests).
      const login = await request("POST", "/api/v1/auth/login", { body: { email: USERS.acme.email, password: DEMO_PASSWORD }, headers: { "x-real-ip": "stream-signout" } });
      expect(login.status).toBe(200);
      const token = login.body.data.session.access_token as string;
      const s = await openStream(stream, path(ids.acme), { token }, { id: ids.acme });
      await s.next("ready");
      // Control: while the session is live, a message arrives.
      const before = await client("manager").post(`/api/v1/inspections/${ids.acme}/messages`, { body: "Before sign-out" });
      expect(JSON.parse((await s.next("message")).data)).toMatchObject({ id: before.body.data.id });

      expect((await request("POST", "/api/v1/auth/logout", { token })).status).toBe(200);
      const after = await client("manager").post(`/api/v1/inspections/${ids.acme}/messages`, { body: "After sign-out" });
      expect(after.status).toBe(201);
      // The notice of that message makes the stream read again: it finds the session gone and ends.
      await s.ended;
      expect(s.events.filter((e) => e.event === "message")).toEqual([]);
      await s.close();
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

describeMessageStream(contractDb);
