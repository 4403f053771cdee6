import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as threadStream } from "@/app/api/v1/inspections/[id]/messages/stream/route";
import { GET as unreadStream } from "@/app/api/v1/messages/stream/route";
import { setTransport } from "@/lib/db";
import { SupabaseTransport } from "@/lib/db/supabase";
import { DbError, type Caller, type JwtClaims } from "@/lib/db/types";
import type { UnreadCounts } from "@/lib/data/messages";
import { messageHub, REALTIME_TOPIC } from "@/lib/realtime/message-hub";
import { CUSTOMERS, USERS } from "../helpers/demo";
import { attachFakeRealtime, type FakeRealtime } from "../helpers/fake-realtime";
import { installNextWebSocket, startFakeSupabase, type FakeSupabase, type RecordedRequest } from "../helpers/fake-supabase";
import { openTestDatabase } from "../helpers/pglite";
import { tokenFor } from "../helpers/router";
import { openStream, type OpenStream } from "../helpers/sse";

installNextWebSocket();

// Supabase mode's realtime: the message hub joins one Realtime channel (postgres_changes on
// public.messages) with the service-role key, and turns each change into an ids-only notice; the
// streams then read through PostgREST as their user. Here Supabase is a loopback fake: Realtime
// speaks the Phoenix websocket protocol (tests/helpers/fake-realtime.ts), PostgREST forwards each
// rpc to this file's embedded database as the caller its Authorization header names, so RLS runs
// as it would on Supabase. Changes are pushed by the test, as Realtime would after a commit.

const ANON_KEY = "anon-key-for-realtime-tests";
const SERVICE_KEY = "service-role-key-for-realtime-tests";

let fake: FakeSupabase;
let realtime: FakeRealtime;
let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
let embedded: Awaited<ReturnType<typeof openTestDatabase>>["transport"];
const ids = { acme: "", bluesky: "" };

const until = async (what: string, check: () => boolean, timeoutMs = 8000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const settle = () => new Promise((r) => setTimeout(r, 400));

/** PostgREST's caller for a request: the key it carries, or the user's JWT (claims read, as PostgREST verifies them). */
function callerOf(req: RecordedRequest): Caller {
  const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
  if (token === SERVICE_KEY) return { role: "service_role" };
  if (token === ANON_KEY || token === "") return { role: "anon" };
  const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as JwtClaims;
  return { role: "authenticated", userId: claims.sub, claims };
}

async function postgrest(req: RecordedRequest) {
  const fn = /^\/rest\/v1\/rpc\/(.+)$/.exec(req.path)?.[1];
  if (req.method !== "POST" || !fn || req.headers.apikey !== ANON_KEY && req.headers.apikey !== SERVICE_KEY) {
    return { status: 404, body: { code: "PGRST202", message: "fake: not an rpc", details: null, hint: null } };
  }
  try {
    return { body: await embedded.rpc(fn, (req.json ?? {}) as Record<string, unknown>, callerOf(req)) };
  } catch (error) {
    if (error instanceof DbError) return { status: 400, body: { code: error.code, message: error.message, details: error.details, hint: error.hint } };
    throw error;
  }
}

async function insertMessage(inspectionId: string, customerId: string, body: string): Promise<Record<string, unknown>> {
  const [row] = await db.query<Record<string, unknown>>(
    `insert into public.messages (inspection_id, customer_id, sender_id, from_staff, body) values ($1, $2, $3, true, $4)
     returning id, inspection_id, customer_id, sender_id, from_staff, body, read_by_customer_at, read_by_staff_at, created_at`,
    [inspectionId, customerId, USERS.manager.id, body],
  ).then((r) => r.rows);
  return row;
}

const openThread = (inspectionId: string, who: "acme" | "bluesky") =>
  openStream(threadStream, `/api/v1/inspections/${inspectionId}/messages/stream`, who, { id: inspectionId });
const openUnread = (who: "acme" | "bluesky") => openStream(unreadStream, "/api/v1/messages/stream", who);
const counts = async (s: OpenStream, timeoutMs?: number) => JSON.parse((await s.next("unread", timeoutMs)).data) as UnreadCounts;
const joins = () => realtime.frames.filter((f) => f.event === "phx_join");

beforeAll(async () => {
  ({ db, transport: embedded } = await openTestDatabase());
  for (const [key, customer] of [["acme", CUSTOMERS.acme], ["bluesky", CUSTOMERS.bluesky]] as const) {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.inspection_applications (number, customer_id, product, factory_name, inspection_type, requested_date)
       values ('INS-RT-' || gen_random_uuid(), $1, 'Realtime monitor', 'Realtime Factory', 'pre_shipment', current_date) returning id`,
      [customer],
    );
    ids[key] = rows[0].id;
  }
  // Signed in on the embedded database (the auth port stays embedded here); Supabase mode below.
  await Promise.all([tokenFor("acme"), tokenFor("bluesky")]);
  fake = await startFakeSupabase();
  fake.fallback(postgrest);
  realtime = attachFakeRealtime(fake.server);
  await messageHub().stop();
  setTransport(new SupabaseTransport({ url: fake.url, anonKey: ANON_KEY, serviceRoleKey: SERVICE_KEY }));
});

afterAll(async () => {
  await messageHub().stop();
  setTransport(embedded);
  realtime.close();
  await fake.close();
});

describe("Supabase Realtime behind the message streams", () => {
  it("joins one channel with the service-role key, for inserts and updates of public.messages", async () => {
    const s = await openThread(ids.acme, "acme");
    // The first stream may open before the channel is joined; it then polls until it is.
    expect(JSON.parse((await s.next("ready")).data)).toHaveProperty("live");
    await until("the channel to be joined", () => messageHub().live);

    expect(realtime.urls).toHaveLength(1);
    expect(realtime.urls[0].pathname).toBe("/realtime/v1/websocket");
    expect(realtime.urls[0].searchParams.get("apikey")).toBe(SERVICE_KEY);
    expect(joins()).toHaveLength(1);
    const join = joins()[0];
    expect(join.topic).toBe(`realtime:${REALTIME_TOPIC}`);
    expect(join.payload.access_token).toBe(SERVICE_KEY);
    expect(join.payload.config).toMatchObject({
      postgres_changes: [
        { event: "INSERT", schema: "public", table: "messages" },
        { event: "UPDATE", schema: "public", table: "messages" },
      ],
    });
    // A second stream shares the channel.
    const second = await openUnread("acme");
    expect(JSON.parse((await second.next("ready")).data)).toEqual({ live: true });
    expect(joins()).toHaveLength(1);
    expect(realtime.open).toBe(1);
    await Promise.all([s.close(), second.close()]);
  });

  it("a pushed INSERT reaches the open streams, each read through PostgREST as its own user; another company's stream hears nothing", async () => {
    const thread = await openThread(ids.acme, "acme");
    const acmeUnread = await openUnread("acme");
    const blueskyUnread = await openUnread("bluesky");
    await thread.next("ready");
    const before = await counts(acmeUnread);
    await counts(blueskyUnread);
    const acmeToken = await tokenFor("acme");
    fake.requests.length = 0;

    const row = await insertMessage(ids.acme, CUSTOMERS.acme, "Pushed through Realtime");
    expect(realtime.push({ type: "INSERT", table: "messages", record: row })).toBe(1);

    const got = JSON.parse((await thread.next("message")).data);
    expect(got).toMatchObject({ id: row.id, body: "Pushed through Realtime", from_staff: true, mine: false });
    expect(got).not.toHaveProperty("sender_id");
    const raised = await counts(acmeUnread);
    expect(raised.total).toBe(before.total + 1);
    // Both reads went to PostgREST with ACME's own token, never the service key.
    const reads = fake.requests.filter((r) => r.path === "/rest/v1/rpc/messages_list" || r.path === "/rest/v1/rpc/messages_unread");
    expect(reads.map((r) => r.path)).toEqual(expect.arrayContaining(["/rest/v1/rpc/messages_list", "/rest/v1/rpc/messages_unread"]));
    // (Blue Sky's stream, for another company, did not read at all.)
    for (const r of reads) expect(r.headers.authorization).toBe(`Bearer ${acmeToken}`);

    // A read mark arrives as an UPDATE: ACME's count falls again.
    await db.query("update public.messages set read_by_customer_at = now() where id = $1", [row.id]);
    realtime.push({ type: "UPDATE", table: "messages", record: { ...row, read_by_customer_at: new Date().toISOString() } });
    expect((await counts(acmeUnread)).total).toBe(before.total);

    await settle();
    expect(blueskyUnread.events.filter((e) => e.event === "unread")).toEqual([]);
    await Promise.all([thread.close(), acmeUnread.close(), blueskyUnread.close()]);
  });

  it("drops a change it cannot read as a notice (no ids), and keeps serving", async () => {
    const thread = await openThread(ids.acme, "acme");
    await thread.next("ready");
    realtime.push({ type: "INSERT", table: "messages", record: { body: "no ids here" } });
    const row = await insertMessage(ids.acme, CUSTOMERS.acme, "After a bad change");
    realtime.push({ type: "INSERT", table: "messages", record: row });
    expect(JSON.parse((await thread.next("message")).data)).toMatchObject({ id: row.id });
    expect(thread.events.filter((e) => e.event === "message")).toEqual([]);
    await thread.close();
  });

  it("rejoins after the socket drops (not live meanwhile), and pushed changes flow again", async () => {
    const thread = await openThread(ids.acme, "acme");
    await thread.next("ready");
    const joinsBefore = joins().length;
    realtime.drop();
    await until("the hub to notice the lost socket", () => !messageHub().live);
    await until("a new connection and join", () => joins().length > joinsBefore && messageHub().live, 10_000);
    expect(realtime.urls.length).toBeGreaterThanOrEqual(2);
    expect(realtime.urls.at(-1)!.searchParams.get("apikey")).toBe(SERVICE_KEY);
    expect(joins().at(-1)!.payload.access_token).toBe(SERVICE_KEY);

    const row = await insertMessage(ids.acme, CUSTOMERS.acme, "After the rejoin");
    expect(realtime.push({ type: "INSERT", table: "messages", record: row })).toBe(1);
    expect(JSON.parse((await thread.next("message")).data)).toMatchObject({ id: row.id, body: "After the rejoin" });
    await thread.close();
  });

  it("while the channel is not joined (the join goes unanswered) streams poll PostgREST every few seconds", async () => {
    await messageHub().stop();
    realtime.joinReply = "silent";
    try {
      const thread = await openThread(ids.bluesky, "bluesky");
      const unread = await openUnread("bluesky");
      expect(JSON.parse((await thread.next("ready")).data)).toEqual({ live: false });
      expect(JSON.parse((await unread.next("ready")).data)).toEqual({ live: false });
      const before = await counts(unread);
      await until("the unanswered join", () => joins().at(-1)?.topic === `realtime:${REALTIME_TOPIC}` && realtime.open > 0);
      expect(messageHub().live).toBe(false);

      // Nothing is pushed: only the poll can bring these.
      const row = await insertMessage(ids.bluesky, CUSTOMERS.bluesky, "Found by polling");
      expect(JSON.parse((await thread.next("message", 8000)).data)).toMatchObject({ id: row.id, body: "Found by polling" });
      expect((await counts(unread, 8000)).total).toBe(before.total + 1);
      expect(messageHub().live).toBe(false);
      await Promise.all([thread.close(), unread.close()]);
    } finally {
      realtime.joinReply = "ok";
      await messageHub().stop();
    }
  });
});

describe("the Realtime socket's heartbeats", () => {
  const heartbeats = () => realtime.frames.filter((f) => f.topic === "phoenix" && f.event === "heartbeat").length;

  beforeAll(async () => {
    await messageHub().stop();
    // Heartbeats every 200 ms instead of 25 s, so the test sees several.
    setTransport(new SupabaseTransport({ url: fake.url, anonKey: ANON_KEY, serviceRoleKey: SERVICE_KEY, realtime: { heartbeatIntervalMs: 200 } }));
  });

  it("keeps the channel joined while heartbeats are answered", async () => {
    const thread = await openThread(ids.acme, "acme");
    await thread.next("ready");
    await until("the channel to be joined", () => messageHub().live);
    const connections = realtime.urls.length;
    const before = heartbeats();
    await until("three heartbeats", () => heartbeats() >= before + 3);
    expect(messageHub().live).toBe(true);
    expect(realtime.urls.length).toBe(connections);
    await thread.close();
  });

  it("replaces a socket that stops answering heartbeats (half-open connection), and changes flow again", async () => {
    const thread = await openThread(ids.acme, "acme");
    await thread.next("ready");
    await until("the channel to be joined", () => messageHub().live);
    const connections = realtime.urls.length;
    realtime.heartbeats = false;
    try {
      await until("the hub to give up on the silent socket", () => !messageHub().live);
      await until("a new connection", () => realtime.urls.length > connections);
    } finally {
      realtime.heartbeats = true;
    }
    await until("the channel to be joined again", () => messageHub().live, 10_000);
    const row = await insertMessage(ids.acme, CUSTOMERS.acme, "After a silent socket");
    expect(realtime.push({ type: "INSERT", table: "messages", record: row })).toBeGreaterThanOrEqual(1);
    expect(JSON.parse((await thread.next("message")).data)).toMatchObject({ id: row.id });
    await thread.close();
  });
});
