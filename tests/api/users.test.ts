import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../helpers/pglite";
import { CUSTOMERS, DEMO_PASSWORD, USERS, type DemoUser } from "../helpers/demo";
import { client, forgetToken, request } from "../helpers/router";

// /api/v1/users and /api/v1/users/:id through the route handlers, on this file's own embedded
// database: who may use them, creating users who can then sign in, changing access, the last
// admin, deactivation, and the audit rows all of this leaves.

const admin = client("admin");
const NOT_ADMINS: DemoUser[] = ["manager", "korean", "chinese", "acme", "bluesky"];
const PASSWORD = "initial-pass-123";

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

beforeAll(async () => {
  ({ db } = await openTestDatabase());
});

let n = 0;
const email = (tag: string) => `${tag}-${Date.now().toString(36)}-${n++}@users-api.test`;

async function profileCount(address: string): Promise<number> {
  const r = await db.query<{ n: number }>("select count(*)::int as n from public.profiles where lower(email) = lower($1)", [address]);
  const a = await db.query<{ n: number }>("select count(*)::int as n from auth.users where lower(email) = lower($1)", [address]);
  return r.rows[0].n + a.rows[0].n;
}

const login = (address: string, password: string) => request("POST", "/api/v1/auth/login", { body: { email: address, password } });

// Users made here sign in and act at once: their initial password is not held (the hold itself is
// tested in "POST /api/v1/users").
async function createStaff(overrides: Record<string, unknown> = {}) {
  const body = { email: email("staff"), display_name: "New Staff", role: "korean_team", password: PASSWORD, must_change_password: false, ...overrides };
  const res = await admin.post("/api/v1/users", body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...res.body.data, password: body.password } as { id: string; email: string; role: string; password: string; active: boolean };
}

describe("who may manage users", () => {
  it("the admin lists users", async () => {
    const res = await admin.get("/api/v1/users");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, limit: 20 });
    expect(res.body.count).toBeGreaterThanOrEqual(6);
    expect(res.body.data.map((u: { email: string }) => u.email)).toContain(USERS.admin.email);
  });

  it.each(NOT_ADMINS)("%s gets 403 listing, reading, creating and changing users, and nothing is written", async (who) => {
    const api = client(who);
    expect((await api.get("/api/v1/users")).status).toBe(403);
    expect((await api.get(`/api/v1/users/${USERS.korean.id}`)).status).toBe(403);
    const address = email(`denied-${who}`);
    const created = await api.post("/api/v1/users", { email: address, display_name: "X", role: "admin", password: PASSWORD });
    expect(created.status).toBe(403);
    expect(created.body.error.code).toBe("forbidden");
    expect(await profileCount(address)).toBe(0);
    const changed = await api.patch(`/api/v1/users/${USERS[who].id}`, { role: "admin" });
    expect(changed.status).toBe(403);
    expect((await admin.get(`/api/v1/users/${USERS[who].id}`)).body.data.role).toBe(USERS[who].role);
  });

  it("anonymous requests get 401", async () => {
    expect((await request("GET", "/api/v1/users")).status).toBe(401);
    expect((await request("POST", "/api/v1/users", { body: { email: email("anon"), display_name: "X", role: "admin", password: PASSWORD } })).status).toBe(401);
    expect((await request("PATCH", `/api/v1/users/${USERS.admin.id}`, { body: { active: false } })).status).toBe(401);
  });
});

describe("GET /api/v1/users", () => {
  it("shows the company name and the last sign-in", async () => {
    await login(USERS.acme.email, DEMO_PASSWORD);
    const res = await admin.get(`/api/v1/users?q=${encodeURIComponent("customer@acme")}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      id: USERS.acme.id,
      role: "customer",
      customer_id: CUSTOMERS.acme,
      customer_name: "ACME Trading",
      active: true,
      email_confirmed: true,
    });
    expect(Date.parse(res.body.data[0].last_sign_in_at)).not.toBeNaN();
  });

  it("searches names too, filters by role and active, and pages", async () => {
    const byName = await admin.get(`/api/v1/users?q=${encodeURIComponent("Park Man")}`);
    expect(byName.body.data.map((u: { id: string }) => u.id)).toEqual([USERS.manager.id]);

    const customers = await admin.get("/api/v1/users?role=customer&limit=100");
    expect(customers.body.data.length).toBeGreaterThanOrEqual(2);
    expect(customers.body.data.every((u: { role: string }) => u.role === "customer")).toBe(true);

    const inactive = await createStaff();
    expect((await admin.patch(`/api/v1/users/${inactive.id}`, { active: false })).status).toBe(200);
    const onlyInactive = await admin.get("/api/v1/users?active=false&limit=100");
    expect(onlyInactive.body.data.map((u: { id: string }) => u.id)).toContain(inactive.id);
    expect(onlyInactive.body.data.every((u: { active: boolean }) => !u.active)).toBe(true);

    const first = await admin.get("/api/v1/users?limit=2&page=1");
    const second = await admin.get("/api/v1/users?limit=2&page=2");
    expect(first.body.data).toHaveLength(2);
    expect(second.body).toMatchObject({ page: 2, limit: 2, count: first.body.count });
    expect(second.body.data[0].id).not.toBe(first.body.data[0].id);
  });

  it("treats % and _ in the search as plain characters", async () => {
    const res = await admin.get(`/api/v1/users?q=${encodeURIComponent("%")}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
  });

  it.each([["role=boss"], ["active=maybe"], ["limit=1000"], ["page=0"]])("?%s is 400", async (query) => {
    const res = await admin.get(`/api/v1/users?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
  });

  it("an unknown id is 404, a malformed one too", async () => {
    expect((await admin.get(`/api/v1/users/${randomUUID()}`)).status).toBe(404);
    expect((await admin.get("/api/v1/users/not-a-uuid")).status).toBe(404);
  });
});

describe("POST /api/v1/users", () => {
  it("creates a staff user who signs in with that role", async () => {
    const address = email("Mixed.Case");
    const res = await admin.post("/api/v1/users", { email: `  ${address.toUpperCase()} `, display_name: " Kim Newhire ", role: "manager", password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      email: address.toLowerCase(),
      display_name: "Kim Newhire",
      role: "manager",
      customer_id: null,
      locale: "ko",
      active: true,
      last_sign_in_at: null,
      created_by: USERS.admin.id,
    });

    const signIn = await login(address, PASSWORD);
    expect(signIn.status).toBe(200);
    expect(signIn.body.data.user).toEqual({ id: res.body.data.id, email: address.toLowerCase(), role: "manager", customer_id: null });
    const me = await request("GET", "/api/v1/auth/me", { token: signIn.body.data.session.access_token });
    expect(me.body.data.user).toMatchObject({ role: "manager", display_name: "Kim Newhire", locale: "ko" });
    expect((await login(address, "wrong-password-1")).status).toBe(401);
  });

  it("creates a customer user of a company, who sees only the portal's API", async () => {
    const address = email("buyer");
    const res = await admin.post("/api/v1/users", { email: address, display_name: "ACME Second Buyer", role: "customer", customer_id: CUSTOMERS.acme, locale: "en", password: PASSWORD, must_change_password: false });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ role: "customer", customer_id: CUSTOMERS.acme, customer_name: "ACME Trading", locale: "en" });

    const signIn = await login(address, PASSWORD);
    expect(signIn.status).toBe(200);
    expect(signIn.body.data.user).toMatchObject({ role: "customer", customer_id: CUSTOMERS.acme });
    const users = await request("GET", "/api/v1/users", { token: signIn.body.data.session.access_token });
    expect([users.status, users.body.error.code]).toEqual([403, "forbidden"]);
  });

  it("an initial password must be changed at the first sign-in unless the admin says otherwise; the hold is a security event naming the admin", async () => {
    const held = email("held");
    const created = await admin.post("/api/v1/users", { email: held, display_name: "Held", role: "korean_team", password: PASSWORD });
    expect(created.status).toBe(201);
    const signIn = await login(held, PASSWORD);
    expect([signIn.status, signIn.body.data.must_change_password]).toEqual([200, true]);
    const token = signIn.body.data.session.access_token;
    const items = await request("GET", "/api/v1/items", { token });
    expect([items.status, items.body.error.code]).toEqual([403, "password_change_required"]);
    expect((await request("GET", "/api/v1/auth/me", { token })).body.data.user).toMatchObject({ must_change_password: true });
    const events = await db.query<{ event: string; actor_id: string }>(
      "select after ->> 'event' as event, actor_id from public.audit_log where table_name = 'password_events' and row_id = $1",
      [created.body.data.id],
    );
    expect(events.rows).toEqual([{ event: "password_set_by_admin", actor_id: USERS.admin.id }]);

    const free = email("free");
    const kept = await admin.post("/api/v1/users", { email: free, display_name: "Free", role: "korean_team", password: PASSWORD, must_change_password: false });
    expect(kept.status).toBe(201);
    const freeIn = await login(free, PASSWORD);
    expect([freeIn.status, freeIn.body.data.must_change_password]).toEqual([200, false]);
    expect((await request("GET", "/api/v1/items", { token: freeIn.body.data.session.access_token })).status).toBe(200);
    const none = await db.query("select 1 from public.audit_log where table_name = 'password_events' and row_id = $1", [kept.body.data.id]);
    expect(none.rows).toEqual([]);
  });

  it("chinese staff default to Chinese", async () => {
    const user = await createStaff({ role: "chinese_staff" });
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.data.locale).toBe("zh");
  });

  it("a second account with the same email (in any case) is 409, and nothing changes", async () => {
    const user = await createStaff();
    const again = await admin.post("/api/v1/users", { email: user.email.toUpperCase(), display_name: "Copy", role: "admin", password: PASSWORD });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");
    expect(again.body.error.details).toEqual([{ path: "email", message: expect.any(String) }]);
    expect(await profileCount(user.email)).toBe(2); // one profile + one auth user
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.data.role).toBe("korean_team");
    expect((await admin.post("/api/v1/users", { email: USERS.manager.email, display_name: "X", role: "manager", password: PASSWORD })).status).toBe(409);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ["no email", { display_name: "X", role: "manager", password: PASSWORD }, "email"],
    ["a malformed email", { email: "not-an-email", display_name: "X", role: "manager", password: PASSWORD }, "email"],
    ["no name", { email: "NAME", role: "manager", password: PASSWORD }, "display_name"],
    ["an unknown role", { email: "NAME", display_name: "X", role: "owner", password: PASSWORD }, "role"],
    ["an unknown language", { email: "NAME", display_name: "X", role: "manager", locale: "fr", password: PASSWORD }, "locale"],
    ["no password", { email: "NAME", display_name: "X", role: "manager" }, "password"],
    ["a short password", { email: "NAME", display_name: "X", role: "manager", password: "short" }, "password"],
    ["a password over 72 bytes", { email: "NAME", display_name: "X", role: "manager", password: "비".repeat(25) }, "password"],
    ["a customer without a company", { email: "NAME", display_name: "X", role: "customer", password: PASSWORD }, "customer_id"],
    ["a must-change flag that is not true or false", { email: "NAME", display_name: "X", role: "manager", password: PASSWORD, must_change_password: "yes" }, "must_change_password"],
    ["staff with a company", { email: "NAME", display_name: "X", role: "manager", customer_id: CUSTOMERS.acme, password: PASSWORD }, "customer_id"],
    ["a malformed company id", { email: "NAME", display_name: "X", role: "customer", customer_id: "acme", password: PASSWORD }, "customer_id"],
    ["an unknown company", { email: "NAME", display_name: "X", role: "customer", customer_id: randomUUID(), password: PASSWORD }, "customer_id"],
    ["an invitation (embedded mode has no mail)", { email: "NAME", display_name: "X", role: "manager", invite: true }, "invite"],
  ];
  it.each(bad)("%s is 422 with the field named, and nothing is written", async (_label, body, path) => {
    const address = email("bad");
    const res = await admin.post("/api/v1/users", { ...body, ...(body.email === "NAME" ? { email: address } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await profileCount(address)).toBe(0);
  });

  it("an inactive company cannot get new users", async () => {
    const [c] = (await db.query<{ id: string }>("insert into public.customers (code, name, active) values ('GONE', 'Gone Co', false) returning id")).rows;
    const address = email("gone");
    const res = await admin.post("/api/v1/users", { email: address, display_name: "X", role: "customer", customer_id: c.id, password: PASSWORD });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: "customer_id", message: expect.any(String) }]);
    expect(await profileCount(address)).toBe(0);
  });

  it("malformed JSON is 400", async () => {
    const res = await request("POST", "/api/v1/users", { rawBody: "{", headers: { "content-type": "application/json" }, token: (await login(USERS.admin.email, DEMO_PASSWORD)).body.data.session.access_token });
    expect(res.status).toBe(400);
  });

  it("an Idempotency-Key makes a retry return the same user, and refuses a different body", async () => {
    const key = randomUUID();
    const body = { email: email("idem"), display_name: "Idem", role: "korean_team", password: PASSWORD };
    const first = await admin.post("/api/v1/users", body, { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const retry = await admin.post("/api/v1/users", body, { "Idempotency-Key": key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body.data.id).toBe(first.body.data.id);
    expect(await profileCount(body.email)).toBe(2);

    const other = await admin.post("/api/v1/users", { ...body, email: email("idem-other") }, { "Idempotency-Key": key });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("idempotency_mismatch");
  });

  it("a retry after the account step failed creates the user then", async () => {
    const key = randomUUID();
    const body = { email: email("half"), display_name: "Half", role: "korean_team", password: PASSWORD };
    // The first attempt claimed the key and stopped before the auth service (as if it were down).
    await db.query("alter table auth.users add constraint block_half check (email not like 'half-%')");
    const failed = await admin.post("/api/v1/users", body, { "Idempotency-Key": key });
    expect(failed.status).toBe(422);
    await db.query("alter table auth.users drop constraint block_half");
    const retry = await admin.post("/api/v1/users", body, { "Idempotency-Key": key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect((await login(body.email, PASSWORD)).status).toBe(200);
  });
});

describe("PATCH /api/v1/users/:id", () => {
  it("changes the role; the user's next request has it", async () => {
    const user = await createStaff();
    const token = (await login(user.email, PASSWORD)).body.data.session.access_token;
    expect((await request("GET", "/api/v1/audit", { token })).status).toBe(403);
    const res = await admin.patch(`/api/v1/users/${user.id}`, { role: "admin" });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: user.id, role: "admin", customer_id: null });
    // The role change ended the user's sessions: they sign in again and have the new role.
    expect((await request("GET", "/api/v1/audit", { token })).status).toBe(401);
    const again = (await login(user.email, PASSWORD)).body.data.session.access_token;
    expect((await request("GET", "/api/v1/audit", { token: again })).status).toBe(200);
  });

  it("moves a user to a company and back to staff, and renames", async () => {
    const user = await createStaff();
    const toCustomer = await admin.patch(`/api/v1/users/${user.id}`, { role: "customer", customer_id: CUSTOMERS.bluesky, display_name: "Blue Buyer" });
    expect(toCustomer.status).toBe(200);
    expect(toCustomer.body.data).toMatchObject({ role: "customer", customer_id: CUSTOMERS.bluesky, customer_name: "Blue Sky Co", display_name: "Blue Buyer" });
    const back = await admin.patch(`/api/v1/users/${user.id}`, { role: "chinese_staff" });
    expect(back.body.data).toMatchObject({ role: "chinese_staff", customer_id: null, customer_name: null });
  });

  it.each([
    ["an empty body", {}],
    ["an unknown role", { role: "owner" }],
    ["a non-boolean active", { active: "no" }],
    ["an empty name", { display_name: "  " }],
    ["a customer role without a company", { role: "customer" }],
    ["a company for a staff role", { role: "manager", customer_id: CUSTOMERS.acme }],
    ["a company for a staff user", { customer_id: CUSTOMERS.acme }],
    ["an unknown company", { role: "customer", customer_id: "c0000000-0000-4000-8000-00000000ffff" }],
  ])("%s is 422 and changes nothing", async (_label, body) => {
    const user = await createStaff();
    const res = await admin.patch(`/api/v1/users/${user.id}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe("validation_failed");
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.data).toMatchObject({ role: "korean_team", customer_id: null, active: true, display_name: "New Staff" });
  });

  it("an unknown user is 404", async () => {
    const res = await admin.patch(`/api/v1/users/${randomUUID()}`, { active: false });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });

  it("the last active admin can be neither demoted nor deactivated (409 last_admin)", async () => {
    // Other admins made by earlier tests are demoted first, so the demo admin is the last one.
    const others = await admin.get("/api/v1/users?role=admin&active=true&limit=100");
    for (const u of others.body.data as { id: string }[]) {
      if (u.id !== USERS.admin.id) expect((await admin.patch(`/api/v1/users/${u.id}`, { role: "manager" })).status).toBe(200);
    }
    for (const body of [{ role: "manager" }, { active: false }, { role: "customer", customer_id: CUSTOMERS.acme }]) {
      const res = await admin.patch(`/api/v1/users/${USERS.admin.id}`, body);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("last_admin");
    }
    expect((await admin.get(`/api/v1/users/${USERS.admin.id}`)).body.data).toMatchObject({ role: "admin", active: true });

    // With a second active admin, either may step down.
    const second = await createStaff({ role: "admin" });
    const secondApi = (await login(second.email, PASSWORD)).body.data.session.access_token;
    const demoted = await request("PATCH", `/api/v1/users/${USERS.admin.id}`, { token: secondApi, body: { role: "manager" } });
    expect(demoted.status).toBe(200);
    const last = await request("PATCH", `/api/v1/users/${second.id}`, { token: secondApi, body: { active: false } });
    expect(last.status).toBe(409);
    const restored = await request("PATCH", `/api/v1/users/${USERS.admin.id}`, { token: secondApi, body: { role: "admin" } });
    expect(restored.status).toBe(200);
    // Both role changes ended the demo admin's sessions: the admin client signs in again.
    expect((await admin.get("/api/v1/auth/me")).status).toBe(401);
    forgetToken("admin");
    expect((await admin.patch(`/api/v1/users/${second.id}`, { role: "korean_team" })).status).toBe(200);
  });

  it("deactivation ends sign-in and the existing session; reactivation restores sign-in", async () => {
    const user = await createStaff();
    const signIn = await login(user.email, PASSWORD);
    const token = signIn.body.data.session.access_token;
    expect((await request("GET", "/api/v1/auth/me", { token })).status).toBe(200);

    const off = await admin.patch(`/api/v1/users/${user.id}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body.data.active).toBe(false);

    const refused = await login(user.email, PASSWORD);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("account_disabled");
    expect(refused.headers.getSetCookie().some((c) => c.startsWith("duly_session="))).toBe(false);
    expect((await request("GET", "/api/v1/auth/me", { token })).status).toBe(401);
    expect((await request("GET", "/api/v1/items", { token })).status).toBe(401);

    const on = await admin.patch(`/api/v1/users/${user.id}`, { active: true });
    expect(on.body.data.active).toBe(true);
    const again = await login(user.email, PASSWORD);
    expect(again.status).toBe(200);
    expect(again.body.data.user.role).toBe("korean_team");
  });

  it("an Idempotency-Key replays a change", async () => {
    const user = await createStaff();
    const key = randomUUID();
    const first = await admin.patch(`/api/v1/users/${user.id}`, { display_name: "Once" }, { "Idempotency-Key": key });
    expect(first.status).toBe(200);
    const retry = await admin.patch(`/api/v1/users/${user.id}`, { display_name: "Once" }, { "Idempotency-Key": key });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const audits = await db.query<{ n: number }>("select count(*)::int as n from public.audit_log where table_name = 'profiles' and row_id = $1 and action = 'update'", [user.id]);
    expect(audits.rows[0].n).toBe(1);
  });
});

describe("the audit trail of user administration", () => {
  it("records the creation, the role change and the deactivation, by the admin; access changes are security events", async () => {
    const user = await createStaff();
    await admin.patch(`/api/v1/users/${user.id}`, { role: "manager" });
    await admin.patch(`/api/v1/users/${user.id}`, { display_name: "Renamed" });
    await admin.patch(`/api/v1/users/${user.id}`, { active: false });

    const res = await admin.get(`/api/v1/audit?table=profiles&limit=100`);
    expect(res.status).toBe(200);
    const rows = (res.body.data as { row_id: string; action: string; security_event: boolean; actor_id: string; actor_email: string; changed: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> }[])
      .filter((r) => r.row_id === user.id)
      .reverse();
    expect(rows.map((r) => [r.action, r.security_event])).toEqual([
      ["insert", false],
      ["update", true],
      ["update", false],
      ["update", true],
    ]);
    for (const r of rows) expect(r).toMatchObject({ actor_id: USERS.admin.id, actor_email: USERS.admin.email });
    expect(rows[0]).toMatchObject({ before: null, after: { email: user.email, role: "korean_team" } });
    expect(rows[1].changed).toEqual(expect.arrayContaining(["role"]));
    expect(rows[1]).toMatchObject({ before: { role: "korean_team" }, after: { role: "manager" } });
    expect(rows[2].changed).toContain("display_name");
    expect(rows[2].changed).not.toContain("role");
    expect(rows[3]).toMatchObject({ before: { active: true }, after: { active: false } });

    const security = await admin.get(`/api/v1/audit?table=profiles&security=true&limit=100`);
    const ids = (security.body.data as { row_id: string; security_event: boolean }[]).filter((r) => r.row_id === user.id);
    expect(ids).toHaveLength(2);
    expect(security.body.data.every((r: { security_event: boolean }) => r.security_event)).toBe(true);
  });
});
