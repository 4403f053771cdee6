import { createServer, type AddressInfo, type Socket } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isUnavailable } from "@/lib/db/outage";
import { SupabaseTransport } from "@/lib/db/supabase";
import { toAppError } from "@/lib/db/to-app-error";
import { DbError, type Caller } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { installNextWebSocket, startFakeSupabase, type FakeSupabase } from "../helpers/fake-supabase";

installNextWebSocket();

// The Supabase transport's contract with PostgREST, checked on the wire against a loopback fake:
// which URL, body and keys each caller sends, and how PostgREST's answers come back.

const ANON_KEY = "anon-key-for-tests";
const SERVICE_KEY = "service-role-key-for-tests";
const USER_TOKEN = "user.access.token";

const user: Caller = {
  role: "authenticated",
  userId: "a0000000-0000-4000-8000-000000000001",
  claims: { sub: "a0000000-0000-4000-8000-000000000001", role: "authenticated", aud: "authenticated" },
  accessToken: USER_TOKEN,
};

let fake: FakeSupabase;
let transport: SupabaseTransport;

beforeAll(async () => {
  fake = await startFakeSupabase();
  transport = new SupabaseTransport({ url: fake.url, anonKey: ANON_KEY, serviceRoleKey: SERVICE_KEY });
});

afterAll(async () => {
  await transport.close();
  await fake.close();
});

beforeEach(() => fake.reset());

function only() {
  expect(fake.requests).toHaveLength(1);
  return fake.requests[0];
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("SupabaseTransport.rpc: what goes on the wire", () => {
  it("as service_role: POST /rest/v1/rpc/<fn>, args as the JSON body, the service key as apikey and Bearer", async () => {
    fake.on("POST", "/rest/v1/rpc/list_customers", { body: [] });
    const args = { p_search: "acme", p_limit: 20, p_filter: { active: true }, p_ids: ["x", "y"], p_none: null };
    await transport.rpc("list_customers", args, { role: "service_role" });
    const req = only();
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/rest/v1/rpc/list_customers");
    expect(req.headers["content-type"]).toMatch(/^application\/json/);
    expect(req.json).toEqual(args);
    expect(req.headers.apikey).toBe(SERVICE_KEY);
    expect(req.headers.authorization).toBe(`Bearer ${SERVICE_KEY}`);
  });

  it("as anon: the anon key as apikey and Bearer, never the service key", async () => {
    fake.on("POST", "/rest/v1/rpc/health_check", { body: { ok: true } });
    await transport.rpc("health_check", {}, { role: "anon" });
    const req = only();
    expect(req.path).toBe("/rest/v1/rpc/health_check");
    expect(req.json).toEqual({});
    expect(req.headers.apikey).toBe(ANON_KEY);
    expect(req.headers.authorization).toBe(`Bearer ${ANON_KEY}`);
    expect(JSON.stringify(req.headers)).not.toContain(SERVICE_KEY);
  });

  it("as an authenticated user: the user's access token as Bearer with the anon apikey, never the service key", async () => {
    fake.on("POST", "/rest/v1/rpc/get_my_profile", { body: { id: user.role === "authenticated" ? user.userId : "" } });
    await transport.rpc("get_my_profile", {}, user);
    const req = only();
    expect(req.path).toBe("/rest/v1/rpc/get_my_profile");
    expect(req.headers.apikey).toBe(ANON_KEY);
    expect(req.headers.authorization).toBe(`Bearer ${USER_TOKEN}`);
    expect(JSON.stringify(req.headers)).not.toContain(SERVICE_KEY);
  });

  it("keeps callers apart across interleaved calls", async () => {
    fake.on("POST", "/rest/v1/rpc/whoami", (req) => ({ body: { authorization: req.headers.authorization ?? null } }));
    const other: Caller = { ...user, accessToken: "other.user.token" } as Caller;
    const results = await Promise.all([
      transport.rpc("whoami", {}, user),
      transport.rpc("whoami", {}, { role: "service_role" }),
      transport.rpc("whoami", {}, other),
      transport.rpc("whoami", {}, { role: "anon" }),
    ]);
    expect(results.map((r) => (r as { authorization: string }).authorization)).toEqual([
      `Bearer ${USER_TOKEN}`,
      `Bearer ${SERVICE_KEY}`,
      "Bearer other.user.token",
      `Bearer ${ANON_KEY}`,
    ]);
  });

  it("refuses an authenticated caller without an access token, without any HTTP request", async () => {
    const noToken: Caller = { role: "authenticated", userId: "u1", claims: { sub: "u1", role: "authenticated" } };
    const error = await rejection(transport.rpc("get_my_profile", {}, noToken));
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).code).toBe("PGRST301");
    expect(toAppError(error)).toMatchObject({ code: "unauthorized", status: 401 });
    expect(fake.requests).toHaveLength(0);
  });

  it("ping calls health_check as service_role", async () => {
    fake.on("POST", "/rest/v1/rpc/health_check", { body: { ok: true } });
    await transport.ping();
    const req = only();
    expect(req.path).toBe("/rest/v1/rpc/health_check");
    expect(req.headers.authorization).toBe(`Bearer ${SERVICE_KEY}`);
  });
});

describe("SupabaseTransport.rpc: what comes back", () => {
  it("returns the JSON response as the result", async () => {
    const body = { items: [{ id: 1, name: "모니터", nested: { zh: "显示器" } }], total: 1 };
    fake.on("POST", "/rest/v1/rpc/search", { body });
    await expect(transport.rpc("search", {}, { role: "service_role" })).resolves.toEqual(body);
  });

  it("returns scalars and null as they are", async () => {
    fake.on("POST", "/rest/v1/rpc/count_things", { body: 42 });
    await expect(transport.rpc("count_things", {}, { role: "service_role" })).resolves.toBe(42);
    fake.on("POST", "/rest/v1/rpc/nothing", { body: null });
    await expect(transport.rpc("nothing", {}, { role: "service_role" })).resolves.toBeNull();
  });

  it("a PostgREST error body becomes a DbError with its fields, and an AppError with the hint as details", async () => {
    fake.on("POST", "/rest/v1/rpc/delete_customer", {
      status: 400,
      body: { code: "P0001", message: "forbidden", details: "Only managers may do this", hint: '{"a":1}' },
    });
    const error = await rejection(transport.rpc("delete_customer", { p_id: "x" }, user));
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({ code: "P0001", message: "forbidden", details: "Only managers may do this", hint: '{"a":1}' });
    const app = toAppError(error);
    expect(app).toBeInstanceOf(AppError);
    expect(app?.code).toBe("forbidden");
    expect(app?.status).toBe(403);
    expect(app?.message).toBe("Only managers may do this");
    expect(app?.details).toEqual({ a: 1 });
  });

  it("a unique violation (23505) becomes conflict 409, without the database's text", async () => {
    fake.on("POST", "/rest/v1/rpc/create_customer", {
      status: 409,
      body: { code: "23505", message: 'duplicate key value violates unique constraint "customers_code_key"', details: "Key (code)=(ACME) already exists.", hint: null },
    });
    const error = await rejection(transport.rpc("create_customer", { p_code: "ACME" }, { role: "service_role" }));
    expect(error).toMatchObject({ code: "23505" });
    const app = toAppError(error);
    expect(app?.code).toBe("conflict");
    expect(app?.status).toBe(409);
    expect(JSON.stringify(app?.toJSON())).not.toMatch(/customers_code_key|ACME/);
  });

  it("an unknown code maps to undefined (the handler answers a generic 500)", async () => {
    fake.on("POST", "/rest/v1/rpc/broken", { status: 500, body: { code: "XX000", message: "internal error in the engine", details: null, hint: null } });
    const error = await rejection(transport.rpc("broken", {}, { role: "service_role" }));
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).code).toBe("XX000");
    expect(toAppError(error)).toBeUndefined();
  });

  it("P0001 whose message is not an AppError code maps to undefined (a raise with free text stays internal)", async () => {
    fake.on("POST", "/rest/v1/rpc/raises", { status: 400, body: { code: "P0001", message: "something odd happened", details: null, hint: null } });
    expect(toAppError(await rejection(transport.rpc("raises", {}, { role: "service_role" })))).toBeUndefined();
  });

  it("a non-JSON error page (gateway) becomes a DbError that maps to internal", async () => {
    fake.on("POST", "/rest/v1/rpc/gateway", { status: 502, body: "<html>Bad Gateway</html>", headers: { "Content-Type": "text/html" } });
    const error = await rejection(transport.rpc("gateway", {}, { role: "service_role" }));
    expect(error).toBeInstanceOf(DbError);
    expect(toAppError(error)).toBeUndefined();
  });

  it("an expired user JWT (PGRST303 with 401) becomes unauthorized", async () => {
    fake.on("POST", "/rest/v1/rpc/get_my_profile", { status: 401, body: { code: "PGRST303", message: "JWT expired", details: null, hint: null } });
    const app = toAppError(await rejection(transport.rpc("get_my_profile", {}, user)));
    expect(app).toMatchObject({ code: "unauthorized", status: 401 });
  });

  it("an unreachable server is a DbError meaning unavailable (503 through the port), not a crash", async () => {
    const gone = await startFakeSupabase();
    const url = gone.url;
    await gone.close();
    const t = new SupabaseTransport({ url, anonKey: ANON_KEY, serviceRoleKey: SERVICE_KEY });
    const error = await rejection(t.rpc("health_check", {}, { role: "service_role" }));
    expect(error).toBeInstanceOf(DbError);
    expect(isUnavailable(error)).toBe(true);
    await expect(t.ping()).rejects.toBeInstanceOf(DbError);
  });

  it("a server that accepts and never answers is cut off after requestTimeoutMs: unavailable, not a hang", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const t = new SupabaseTransport({ url: `http://127.0.0.1:${port}`, anonKey: ANON_KEY, serviceRoleKey: SERVICE_KEY, requestTimeoutMs: 200 });
      for (const caller of [{ role: "service_role" } as const, user]) {
        const error = await rejection(t.rpc("health_check", {}, caller));
        expect(error).toBeInstanceOf(DbError);
        expect(isUnavailable(error)).toBe(true);
      }
      expect(sockets.size).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe("SupabaseTransport with a custom fetch", () => {
  it("sends every request through the configured fetch", async () => {
    fake.on("POST", "/rest/v1/rpc/health_check", { body: { ok: true } });
    const seen: string[] = [];
    const t = new SupabaseTransport({
      url: fake.url,
      anonKey: ANON_KEY,
      serviceRoleKey: SERVICE_KEY,
      fetch: (input, init) => {
        seen.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    });
    await t.rpc("health_check", {}, { role: "service_role" });
    await t.rpc("health_check", {}, { role: "anon" });
    await t.rpc("health_check", {}, user);
    expect(seen).toEqual(Array(3).fill(`${fake.url}/rest/v1/rpc/health_check`));
    expect(fake.requests).toHaveLength(3);
  });
});
