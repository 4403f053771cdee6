import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { tokenHash } from "@/lib/data/tokens";
import { USERS } from "../helpers/demo";
import { createUser } from "../helpers/fixtures";
import type { Query } from "../helpers/test-db";
import { openTestDatabase } from "../helpers/pglite";
import { client, request } from "../helpers/router";

// Personal access tokens through the API on this file's embedded database: created from a
// session and shown once, used as `Authorization: Bearer duly_pat_…` with the user's own rights
// (RLS, role, scope), revoked or expired or deactivated: refused at once; audited.

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
const admin = client("admin");
const korean = client("korean");
const chinese = client("chinese");
const acme = client("acme");
const SEL = "10000000-0000-4000-8000-000000000001";

// The client's address comes from X-Forwarded-For behind one trusted proxy.
const savedProxies = process.env.TRUSTED_PROXIES;
beforeAll(async () => {
  process.env.TRUSTED_PROXIES = "1";
  resetEnvCache();
  ({ db } = await openTestDatabase());
});
afterAll(() => {
  if (savedProxies === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = savedProxies;
  resetEnvCache();
});

/** A request made with a personal access token, as a script sends it (no Origin, no cookie). */
function withToken(token: string, method: string, url: string, body?: unknown, address = "198.51.100.7") {
  return request(method, url, { body, token, headers: { "x-forwarded-for": address, origin: "" } });
}

async function newToken(who: ReturnType<typeof client>, scope: "read" | "read_write", name = `script ${scope}`): Promise<{ id: string; token: string }> {
  const res = await who.post("/api/v1/tokens", { name, scope, expires_in_days: 30 });
  expect(res.status).toBe(201);
  return res.body.data;
}

async function auditEvents(tokenId: string): Promise<string[]> {
  const rows = await db.query<{ event: string }>(
    `select after ->> 'event' as event from public.audit_log where table_name = 'personal_access_tokens' and row_id = $1 order by id`,
    [tokenId],
  );
  return rows.rows.map((r) => r.event);
}

describe("creating and listing tokens", () => {
  it("shows the token once, stores only its hash, and lists it without the token", async () => {
    const res = await korean.post("/api/v1/tokens", { name: "  BI sheet  ", scope: "read", expires_in_days: 90 });
    expect(res.status).toBe(201);
    const created = res.body.data;
    expect(created).toMatchObject({ name: "BI sheet", scope: "read", token_prefix: created.token.slice(0, 13) });
    expect(created.token).toMatch(/^duly_pat_[0-9a-f]{64}$/);
    const days = (Date.parse(created.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);

    const stored = await db.query<{ token_hash: string }>("select token_hash from public.personal_access_tokens where id = $1", [created.id]);
    expect(stored.rows[0].token_hash).toBe(tokenHash(created.token));

    const list = await korean.get("/api/v1/tokens");
    expect(list.status).toBe(200);
    const mine = list.body.data.find((t: { id: string }) => t.id === created.id);
    expect(mine).toMatchObject({ name: "BI sheet", scope: "read", status: "active", last_used_at: null, user_id: USERS.korean.id });
    expect(JSON.stringify(list.body)).not.toContain(created.token);
    expect(JSON.stringify(list.body)).not.toContain(stored.rows[0].token_hash);
    expect(await auditEvents(created.id)).toEqual(["created"]);
  });

  it("refuses a bad name, scope or expiry with 422 and creates nothing", async () => {
    const before = (await korean.get("/api/v1/tokens")).body.data.length;
    for (const body of [
      { name: " ", scope: "read", expires_in_days: 30 },
      { name: "x".repeat(101), scope: "read", expires_in_days: 30 },
      { name: "ok", scope: "admin", expires_in_days: 30 },
      { name: "ok", scope: "read", expires_in_days: 45 },
      { name: "ok", scope: "read" },
    ]) {
      const res = await korean.post("/api/v1/tokens", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe("validation_failed");
    }
    expect((await korean.get("/api/v1/tokens")).body.data.length).toBe(before);
  });

  it("lists only the caller's own tokens; ?all=true is everyone's for admins and 403 for others", async () => {
    const k = await newToken(korean, "read");
    const c = await newToken(chinese, "read");
    const chineseList = (await chinese.get("/api/v1/tokens")).body.data.map((t: { id: string }) => t.id);
    expect(chineseList).toContain(c.id);
    expect(chineseList).not.toContain(k.id);
    expect((await chinese.get("/api/v1/tokens?all=true")).status).toBe(403);
    const all = await admin.get("/api/v1/tokens?all=true");
    expect(all.status).toBe(200);
    const ids = all.body.data.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining([k.id, c.id]));
    expect((await admin.get("/api/v1/tokens")).body.data.map((t: { id: string }) => t.id)).not.toContain(k.id);
  });
});

describe("using a token", () => {
  it("acts as its user: reads records, the unversioned lists, and records where and when it was used", async () => {
    const { id, token } = await newToken(korean, "read");
    const items = await withToken(token, "GET", "/api/v1/items");
    expect(items.status).toBe(200);
    expect(Array.isArray(items.body.data)).toBe(true);
    for (const url of ["/api/engines", "/api/flows"]) {
      const res = await withToken(token, "GET", url);
      expect(res.status, url).toBe(200);
      expect(res.body).toEqual({ count: expect.any(Number), data: expect.any(Array) });
    }
    const me = await withToken(token, "GET", "/api/v1/auth/me");
    expect(me.body.data.user).toMatchObject({ id: USERS.korean.id, role: "korean_team" });
    const listed = (await korean.get("/api/v1/tokens")).body.data.find((t: { id: string }) => t.id === id);
    expect(listed).toMatchObject({ last_used_address: "198.51.100.7", last_used_at: expect.any(String) });
  });

  it("audits the first use from each address, once", async () => {
    const { id, token } = await newToken(korean, "read");
    await withToken(token, "GET", "/api/v1/items", undefined, "203.0.113.1");
    await withToken(token, "GET", "/api/v1/items", undefined, "203.0.113.1");
    await withToken(token, "GET", "/api/v1/items", undefined, "203.0.113.2");
    expect(await auditEvents(id)).toEqual(["created", "used_from_new_address", "used_from_new_address"]);
    const addresses = await db.query<{ address: string }>(
      `select after ->> 'address' as address from public.audit_log where row_id = $1 and after ->> 'event' = 'used_from_new_address' order by id`,
      [id],
    );
    expect(addresses.rows.map((r) => r.address)).toEqual(["203.0.113.1", "203.0.113.2"]);
  });

  it("a read token gets 403 on every write and writes nothing; a read_write token writes", async () => {
    const read = await newToken(korean, "read");
    const body = { sku: "PAT-READ-1", name_ko: "토큰 품목", reorder_point: 1, unit_cost: 10 };
    const refused = await withToken(read.token, "POST", "/api/v1/items", body);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
    expect((await withToken(read.token, "PATCH", "/api/v1/auth/me", { display_name: "x" })).status).toBe(403);
    expect((await korean.get("/api/v1/items?q=PAT-READ-1")).body.count).toBe(0);

    const write = await newToken(korean, "read_write");
    const created = await withToken(write.token, "POST", "/api/v1/items", { ...body, sku: "PAT-WRITE-1" });
    expect(created.status).toBe(201);
    const audit = await db.query<{ actor_id: string }>("select actor_id from public.audit_log where table_name = 'items' and row_id = $1", [created.body.data.id]);
    expect(audit.rows[0].actor_id).toBe(USERS.korean.id);
  });

  it("keeps the user's role and company: a customer's token sees only its company, staff routes are 403", async () => {
    const { token } = await newToken(acme, "read");
    expect((await withToken(token, "GET", "/api/v1/items")).status).toBe(403);
    const stock = await withToken(token, "GET", "/api/v1/portal/stock");
    expect(stock.status).toBe(200);
    const shipments = await withToken(token, "GET", "/api/v1/portal/shipments");
    expect(shipments.status).toBe(200);
    for (const s of shipments.body.data) expect(s.customer_id ?? USERS.acme.id).not.toBe("c0000000-0000-4000-8000-000000000002");
  });

  it("cannot create or revoke tokens (a session can), but may list them", async () => {
    const { id, token } = await newToken(korean, "read_write");
    const minted = await withToken(token, "POST", "/api/v1/tokens", { name: "child", scope: "read", expires_in_days: 30 });
    expect(minted.status).toBe(403);
    expect((await withToken(token, "DELETE", `/api/v1/tokens/${id}`)).status).toBe(403);
    expect((await withToken(token, "GET", "/api/v1/tokens")).status).toBe(200);
  });

  it("is not a session: signing out with it answers 400 and ends nothing, the token's or the user's sessions", async () => {
    const { token } = await newToken(korean, "read_write");
    for (const body of [undefined, { scope: "global" }]) {
      const res = await withToken(token, "POST", "/api/v1/auth/logout", body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "bad_request", message: expect.stringMatching(/personal access token/) });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect((await withToken(token, "GET", "/api/v1/items")).status).toBe(200);
    // The user's browser session goes on too: a token's "global" sign-out ended no session.
    expect((await korean.get("/api/v1/auth/me")).status).toBe(200);
  });

  it("answers 401 for an unknown, malformed or expired token", async () => {
    expect((await withToken(`duly_pat_${"0".repeat(64)}`, "GET", "/api/v1/items")).status).toBe(401);
    expect((await withToken("duly_pat_short", "GET", "/api/v1/items")).status).toBe(401);
    const { id, token } = await newToken(korean, "read");
    expect((await withToken(token, "GET", "/api/v1/items")).status).toBe(200);
    await db.query("update public.personal_access_tokens set expires_at = now() - interval '1 second' where id = $1", [id]);
    expect((await withToken(token, "GET", "/api/v1/items")).status).toBe(401);
    expect((await korean.get("/api/v1/tokens")).body.data.find((t: { id: string }) => t.id === id).status).toBe("expired");
  });
});

describe("revoking", () => {
  it("the owner revokes a token: refused at once, audited; another user's token is 404 to a non-admin", async () => {
    const { id, token } = await newToken(korean, "read");
    expect((await withToken(token, "GET", "/api/v1/items")).status).toBe(200);
    expect((await chinese.del(`/api/v1/tokens/${id}`)).status).toBe(404);
    expect((await withToken(token, "GET", "/api/v1/items")).status).toBe(200);
    const revoked = await korean.del(`/api/v1/tokens/${id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toMatchObject({ id, status: "revoked", revoked_at: expect.any(String) });
    expect((await withToken(token, "GET", "/api/v1/items")).status).toBe(401);
    expect(await auditEvents(id)).toEqual(["created", "used_from_new_address", "revoked"]);
    // Revoking again answers the token as it is, and audits nothing more.
    expect((await korean.del(`/api/v1/tokens/${id}`)).status).toBe(200);
    expect(await auditEvents(id)).toEqual(["created", "used_from_new_address", "revoked"]);
  });

  it("an admin revokes anyone's token", async () => {
    const { id, token } = await newToken(chinese, "read");
    expect((await admin.del(`/api/v1/tokens/${id}`)).status).toBe(200);
    expect((await withToken(token, "GET", "/api/v1/items")).status).toBe(401);
  });

  it("a role change applies to the user's tokens at once: the token acts with the new role", async () => {
    const sql: Query = async <T,>(text: string, params?: unknown[]) => (await db.query<T>(text, params)).rows;
    const user = await createUser(sql, { role: "korean_team" });
    const login = await request("POST", "/api/v1/auth/login", { body: { email: user.email, password: user.password } });
    expect(login.status).toBe(200);
    const created = await request("POST", "/api/v1/tokens", { token: login.body.data.session.access_token, body: { name: "role change", scope: "read_write", expires_in_days: 30 } });
    expect(created.status).toBe(201);
    const token = created.body.data.token as string;
    // Deleting items is for korean_team (and managers, admins), not chinese_staff: an unknown item is 404 past the permission, 403 before it.
    const missing = "/api/v1/items/00000000-0000-4000-8000-000000000000";
    expect((await withToken(token, "DELETE", missing)).status).toBe(404);
    expect((await admin.patch(`/api/v1/users/${user.id}`, { role: "chinese_staff" })).status).toBe(200);
    expect((await withToken(token, "GET", "/api/v1/auth/me")).body.data.user.role).toBe("chinese_staff");
    expect((await withToken(token, "DELETE", missing)).status).toBe(403);
  });

  it("a deactivated user's tokens stop working at once", async () => {
    const { token } = await newToken(chinese, "read");
    expect((await withToken(token, "GET", "/api/v1/items")).status).toBe(200);
    expect((await admin.patch(`/api/v1/users/${USERS.chinese.id}`, { active: false })).status).toBe(200);
    expect((await withToken(token, "GET", "/api/v1/items")).status).toBe(401);
    expect((await withToken(token, "GET", "/api/engines")).status).toBe(401);
  });
});

describe("writes with a token need no Origin", () => {
  it("a read_write token creates a flow from a script", async () => {
    const { token } = await newToken(korean, "read_write");
    const items = await withToken(token, "GET", "/api/v1/items?limit=1");
    const res = await withToken(token, "POST", "/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: items.body.data[0].id, qty: 1 }] });
    expect(res.status).toBe(201);
  });
});
