import { jwtVerify, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setTransport } from "@/lib/db";
import { SupabaseTransport } from "@/lib/db/supabase";
import { DbError, type Caller, type JwtClaims } from "@/lib/db/types";
import { resetEnvCache } from "@/lib/env";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { installNextWebSocket, startFakeSupabase, type FakeSupabase, type RecordedRequest } from "../helpers/fake-supabase";
import { openTestDatabase } from "../helpers/pglite";
import { request } from "../helpers/router";
import { testSessionId } from "../helpers/sessions";

installNextWebSocket();

// Personal access tokens in Supabase mode. Supabase is a loopback fake: GoTrue answers for the
// session tokens it issued, and PostgREST verifies each call's JWT with the project's JWT secret
// (as the real one does) and runs the rpc on this file's embedded database as the caller the JWT
// names, so RLS, grants and the functions' own checks apply as on Supabase. A `duly_pat_…` token
// is resolved by its hash with the service role, then the request's calls carry a JWT the app
// signs with SUPABASE_JWT_SECRET for the token's user (pat_id in its claims): the user's rights,
// the token's scope, and revocation at once, down to a replayed JWT.

const ANON_KEY = "anon-key-for-token-tests";
const SERVICE_KEY = "service-role-key-for-token-tests";
const JWT_SECRET = "supabase-jwt-secret-for-token-tests-0123456789";
const SECRET = new TextEncoder().encode(JWT_SECRET);
const saved = { ...process.env };
let fake: FakeSupabase;
let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
let embedded: Awaited<ReturnType<typeof openTestDatabase>>["transport"];
const sessions = new Map<DemoUser, string>();

/** A session's access token as GoTrue issues it (signed with the project's JWT secret). */
async function sessionJwt(who: DemoUser): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: "authenticated", email: USERS[who].email, session_id: testSessionId(USERS[who].id), app_metadata: { provider: "email" } })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`${fake.url}/auth/v1`)
    .setAudience("authenticated")
    .setSubject(USERS[who].id)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(SECRET);
}

async function verified(token: string): Promise<JWTPayload | null> {
  try {
    return (await jwtVerify(token, SECRET, { audience: "authenticated" })).payload;
  } catch {
    return null;
  }
}

const bearerOf = (req: RecordedRequest) => /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";

/** PostgREST: the key or a verified JWT names the role; anything else is refused as it would be there. */
async function postgrest(req: RecordedRequest) {
  const fn = /^\/rest\/v1\/rpc\/(.+)$/.exec(req.path)?.[1];
  if (req.method !== "POST" || !fn || (req.headers.apikey !== ANON_KEY && req.headers.apikey !== SERVICE_KEY)) {
    return { status: 404, body: { code: "PGRST202", message: "fake: not an rpc", details: null, hint: null } };
  }
  const token = bearerOf(req);
  let caller: Caller;
  if (token === SERVICE_KEY) caller = { role: "service_role" };
  else if (token === ANON_KEY || token === "") caller = { role: "anon" };
  else {
    const claims = await verified(token);
    if (!claims) return { status: 401, body: { code: "PGRST301", message: "JWT could not be verified", details: null, hint: null } };
    caller = { role: "authenticated", userId: String(claims.sub), claims: claims as unknown as JwtClaims };
  }
  try {
    return { body: await embedded.rpc(fn, (req.json ?? {}) as Record<string, unknown>, caller) };
  } catch (error) {
    if (error instanceof DbError) return { status: 400, body: { code: error.code, message: error.message, details: error.details, hint: error.hint } };
    throw error;
  }
}

function useSupabaseEnv(jwtSecret: string | undefined) {
  process.env.NEXT_PUBLIC_SUPABASE_URL = fake.url;
  process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY = ANON_KEY;
  process.env.SUPABASE_SERVICE_ROLE_KEY = SERVICE_KEY;
  if (jwtSecret) process.env.SUPABASE_JWT_SECRET = jwtSecret;
  else delete process.env.SUPABASE_JWT_SECRET;
  resetEnvCache();
}

beforeAll(async () => {
  ({ db, transport: embedded } = await openTestDatabase());
  fake = await startFakeSupabase();
  // GoTrue: GET /auth/v1/user answers for the session tokens it issued (getClaims asks it for HS256 tokens).
  fake.on("GET", "/auth/v1/user", async (req) => {
    const claims = await verified(bearerOf(req));
    if (!claims) return { status: 403, body: { code: 403, error_code: "bad_jwt", msg: "invalid JWT" } };
    return { body: { id: claims.sub, aud: "authenticated", role: "authenticated", email: claims.email, app_metadata: {}, user_metadata: {} } };
  });
  fake.fallback(postgrest);
  useSupabaseEnv(JWT_SECRET);
  setTransport(new SupabaseTransport({ url: fake.url, anonKey: ANON_KEY, serviceRoleKey: SERVICE_KEY }));
  for (const who of ["korean", "acme", "bluesky", "manager"] as const) sessions.set(who, await sessionJwt(who));
});

afterAll(async () => {
  process.env = { ...saved };
  resetEnvCache();
  setTransport(embedded);
  await fake.close();
});

/** A request with the user's Supabase session (a browser's or a script's session token). */
const withSession = (who: DemoUser, method: string, url: string, body?: unknown) => request(method, url, { body, token: sessions.get(who), headers: { origin: "" } });
/** A request with a personal access token, as a script sends it. */
const withToken = (token: string, method: string, url: string, body?: unknown) => request(method, url, { body, token, headers: { origin: "" } });

async function newToken(who: DemoUser, scope: "read" | "read_write"): Promise<{ id: string; token: string }> {
  const res = await withSession(who, "POST", "/api/v1/tokens", { name: `supabase ${scope}`, scope, expires_in_days: 30 });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

/** The rpc calls PostgREST received from index `from` on, with their verified claims. */
async function rpcCallsSince(from: number) {
  return Promise.all(
    fake.requests.slice(from).filter((r) => r.path.startsWith("/rest/v1/rpc/")).map(async (r) => ({
      fn: r.path.slice("/rest/v1/rpc/".length),
      bearer: bearerOf(r),
      claims: await verified(bearerOf(r)),
      raw: `${JSON.stringify(r.headers)} ${r.body}`,
    })),
  );
}

describe("personal access tokens on Supabase", () => {
  it("a token acts as its user: created with a Supabase session, then every call runs as that user with a JWT naming the token", async () => {
    const { id, token } = await newToken("korean", "read_write");
    const mark = fake.requests.length;
    const me = await withToken(token, "GET", "/api/v1/auth/me");
    expect(me.status).toBe(200);
    expect(me.body.data.user).toMatchObject({ id: USERS.korean.id, role: "korean_team" });
    const created = await withToken(token, "POST", "/api/v1/inbounds", { location_id: "10000000-0000-4000-8000-000000000001", lines: [{ item_id: await anyItem(), qty: 2 }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [row] = (await db.query<{ created_by: string }>("select created_by from public.flows where id = $1", [created.body.data.id])).rows;
    expect(row.created_by).toBe(USERS.korean.id);

    const calls = await rpcCallsSince(mark);
    // The token is looked up by its hash with the service key; nothing sent to Supabase carries the token itself.
    expect(calls.find((c) => c.fn === "pat_authenticate")?.bearer).toBe(SERVICE_KEY);
    expect(calls.some((c) => c.raw.includes(token))).toBe(false);
    // The user's own calls (the profile, the flow) carry a JWT PostgREST verified: the user, as authenticated, naming the token.
    const asUser = calls.filter((c) => c.bearer !== SERVICE_KEY);
    expect(asUser.map((c) => c.fn)).toEqual(expect.arrayContaining(["me_counting", "flow_create"]));
    for (const c of asUser) expect(c.claims, c.fn).toMatchObject({ sub: USERS.korean.id, role: "authenticated", pat_id: id, pat_scope: "read_write" });
    expect(calls.find((c) => c.fn === "flow_create")?.bearer).not.toBe(SERVICE_KEY);
  });

  it("a customer's token sees that customer's goods only, through RLS as that customer", async () => {
    const acme = await newToken("acme", "read");
    const bluesky = await newToken("bluesky", "read");
    const acmeStock = await withToken(acme.token, "GET", "/api/v1/portal/stock?limit=100");
    const blueStock = await withToken(bluesky.token, "GET", "/api/v1/portal/stock?limit=100");
    expect(acmeStock.status).toBe(200);
    expect(blueStock.status).toBe(200);
    const acmeItems = new Set<string>(acmeStock.body.data.map((r: { item_id: string }) => r.item_id));
    const blueItems: string[] = blueStock.body.data.map((r: { item_id: string }) => r.item_id);
    expect(acmeItems.size).toBeGreaterThan(0);
    expect(blueItems.filter((i) => acmeItems.has(i))).toEqual([]);
    const owners = (await db.query<{ customer_id: string | null }>("select distinct customer_id from public.items where id = any($1::uuid[])", [[...acmeItems]])).rows;
    expect(owners.map((o) => o.customer_id)).toEqual([CUSTOMERS.acme]);
    // Staff lists are not a customer's, token or not.
    expect((await withToken(acme.token, "GET", "/api/v1/items")).status).toBe(403);
  });

  it("a read token reads, and gets 403 on writes with nothing written and no write call sent", async () => {
    const { token } = await newToken("korean", "read");
    expect((await withToken(token, "GET", "/api/v1/inbounds")).status).toBe(200);
    const before = (await db.query<{ n: number }>("select count(*)::int as n from public.flows")).rows[0].n;
    const mark = fake.requests.length;
    const refused = await withToken(token, "POST", "/api/v1/inbounds", { location_id: "10000000-0000-4000-8000-000000000001", lines: [{ item_id: await anyItem(), qty: 1 }] });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: "forbidden", message: "This token may only read" });
    expect((await rpcCallsSince(mark)).map((c) => c.fn)).not.toContain("flow_create");
    expect((await withToken(token, "POST", "/api/v1/tokens", { name: "more", scope: "read_write", expires_in_days: 30 })).status).toBe(403);
    expect((await db.query<{ n: number }>("select count(*)::int as n from public.flows")).rows[0].n).toBe(before);
    // The same user's read_write token may write (the scope is the token's, not the user's).
    const { token: writer } = await newToken("korean", "read_write");
    expect((await withToken(writer, "POST", "/api/v1/inbounds", { location_id: "10000000-0000-4000-8000-000000000001", lines: [{ item_id: await anyItem(), qty: 1 }] })).status).toBe(201);
  });

  it("a revoked token is 401 at once, and the JWT minted for it is refused by the database when replayed to PostgREST", async () => {
    const { id, token } = await newToken("manager", "read_write");
    const mark = fake.requests.length;
    expect((await withToken(token, "GET", "/api/v1/auth/me")).status).toBe(200);
    const minted = (await rpcCallsSince(mark)).find((c) => c.fn === "me_counting")!.bearer;
    const replay = () =>
      fetch(`${fake.url}/rest/v1/rpc/me`, { method: "POST", headers: { apikey: ANON_KEY, authorization: `Bearer ${minted}`, "content-type": "application/json" }, body: "{}" });
    const live = await replay();
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ id: USERS.manager.id });

    const revoked = await withSession("manager", "DELETE", `/api/v1/tokens/${id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.data.revoked_at).toEqual(expect.any(String));
    const refused = await withToken(token, "GET", "/api/v1/auth/me");
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("unauthorized");
    expect((await withToken(token, "POST", "/api/v1/inbounds", {})).status).toBe(401);
    // The claims JWT is still unexpired and correctly signed; the database holds it to a live token.
    const dead = await replay();
    const deadBody = await dead.json();
    expect(dead.status === 200 ? deadBody : null, JSON.stringify(deadBody)).toBeNull();
    // The session that revoked it goes on.
    expect((await withSession("manager", "GET", "/api/v1/auth/me")).status).toBe(200);
  });

  it("signing out with a token answers 400: the token is never sent to GoTrue's /logout and no session ends", async () => {
    const { token } = await newToken("korean", "read_write");
    for (const body of [undefined, { scope: "global" }]) {
      const mark = fake.requests.length;
      const res = await withToken(token, "POST", "/api/v1/auth/logout", body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
      const sent = fake.requests.slice(mark);
      expect(sent.filter((r) => r.path.startsWith("/auth/v1/"))).toEqual([]);
      expect(sent.some((r) => `${JSON.stringify(r.headers)} ${r.body}`.includes(token))).toBe(false);
    }
    expect((await withToken(token, "GET", "/api/v1/auth/me")).status).toBe(200);
    expect((await withSession("korean", "GET", "/api/v1/auth/me")).status).toBe(200);
  });

  it("without SUPABASE_JWT_SECRET the app cannot act as the token's user: 401, and no call goes out as the user", async () => {
    const { token } = await newToken("korean", "read_write");
    useSupabaseEnv(undefined);
    try {
      const mark = fake.requests.length;
      const res = await withToken(token, "GET", "/api/v1/auth/me");
      expect(res.status).toBe(401);
      expect((await rpcCallsSince(mark)).filter((c) => c.bearer !== SERVICE_KEY)).toEqual([]);
    } finally {
      useSupabaseEnv(JWT_SECRET);
    }
    expect((await withToken(token, "GET", "/api/v1/auth/me")).status).toBe(200);
  });
});

let itemId: string | undefined;
async function anyItem(): Promise<string> {
  itemId ??= (await db.query<{ id: string }>("select id from public.items where active and customer_id is null order by sku limit 1")).rows[0].id;
  return itemId;
}
