import { beforeAll, describe, expect, it } from "vitest";
import { CUSTOMERS, DEMO_PASSWORD, type DemoUser } from "../helpers/demo";
import { createUser, type TestUser } from "../helpers/fixtures";
import { openTestDatabase } from "../helpers/pglite";
import { client, request } from "../helpers/router";

// Passwords (embedded mode): changing one's own with the current password, an admin's temporary
// password and one-time reset link, each refused where it must be, each ending the right sessions.

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
const q = async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows;

const signIn = (email: string, password: string) => request("POST", "/api/v1/auth/login", { body: { email, password } });
async function tokenOf(user: TestUser, password = user.password): Promise<string> {
  const res = await signIn(user.email, password);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.session.access_token as string;
}
const me = (token: string) => request("GET", "/api/v1/auth/me", { token });
const events = (userId: string) =>
  q<{ event: string; actor_id: string | null }>(
    "select after ->> 'event' as event, actor_id from public.audit_log where table_name = 'password_events' and row_id = $1 order by id",
    [userId],
  );

beforeAll(async () => {
  ({ db } = await openTestDatabase());
});

const dbQuery = () => (sql: string, params?: unknown[]) => q(sql, params) as never;

describe("changing one's own password", () => {
  it("asks the current password, keeps this browser signed in with a new session, ends every other", async () => {
    const user = await createUser(dbQuery());
    const here = await tokenOf(user);
    const elsewhere = await tokenOf(user);
    const res = await request("POST", "/api/v1/auth/password", { token: here, body: { current_password: user.password, new_password: "new-pass-5678" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toEqual({ changed: true, signed_in: true });
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/duly_session=[^;]+/);
    expect((await me(here)).status).toBe(401);
    expect((await me(elsewhere)).status).toBe(401);
    const fresh = /duly_session=([^;]+)/.exec(cookie)![1]!;
    expect((await request("GET", "/api/v1/auth/me", { cookie: `duly_session=${fresh}` })).status).toBe(200);
    expect((await signIn(user.email, user.password)).status).toBe(401);
    expect((await signIn(user.email, "new-pass-5678")).status).toBe(200);
    expect((await events(user.id)).map((e) => e.event)).toEqual(["password_changed"]);
  });

  it("refuses a wrong current password (422 at the field), changes nothing, and counts it as a failed sign-in", async () => {
    const user = await createUser(dbQuery());
    const token = await tokenOf(user);
    const res = await request("POST", "/api/v1/auth/password", { token, body: { current_password: "not-my-password", new_password: "new-pass-5678" } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: "current_password" })]);
    expect((await me(token)).status).toBe(200);
    expect((await signIn(user.email, user.password)).status).toBe(200);
    const failures = await q<{ n: number }>("select count(*)::int as n from public.audit_log where table_name = 'login_failures' and row_id = $1", [user.id]);
    expect(failures[0]!.n).toBe(1);
    expect(await events(user.id)).toEqual([]);
  });

  it("refuses a short new password, the same one again (422), and a signed-out request (401)", async () => {
    const user = await createUser(dbQuery());
    const token = await tokenOf(user);
    expect((await request("POST", "/api/v1/auth/password", { token, body: { current_password: user.password, new_password: "short" } })).status).toBe(422);
    expect((await request("POST", "/api/v1/auth/password", { token, body: { current_password: user.password, new_password: user.password } })).status).toBe(422);
    expect((await request("POST", "/api/v1/auth/password", { body: { current_password: user.password, new_password: "new-pass-5678" } })).status).toBe(401);
  });

  it("is rate-limited like sign-in: wrong current passwords in a row end in 429", async () => {
    const user = await createUser(dbQuery());
    const token = await tokenOf(user);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await request("POST", "/api/v1/auth/password", { token, body: { current_password: `wrong-${i}`, new_password: "new-pass-5678" } })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([422, 422, 422, 422, 422]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});

describe("an admin resets another user's password", () => {
  const admin = client("admin");

  it("a temporary password ends every session; the user must change it before anything else", async () => {
    const user = await createUser(dbQuery());
    const old = await tokenOf(user);
    const res = await admin.post(`/api/v1/users/${user.id}/password`, { mode: "temporary", password: "temp-pass-9999" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toEqual({ mode: "temporary", user_id: user.id, must_change: true });
    expect((await me(old)).status).toBe(401);
    const login = await signIn(user.email, "temp-pass-9999");
    expect(login.status).toBe(200);
    expect(login.body.data.must_change_password).toBe(true);
    const token = login.body.data.session.access_token as string;
    const changed = await request("POST", "/api/v1/auth/password", { token, body: { current_password: "temp-pass-9999", new_password: "mine-pass-0000" } });
    expect(changed.status).toBe(200);
    const again = await signIn(user.email, "mine-pass-0000");
    expect(again.body.data.must_change_password).toBe(false);
    expect((await events(user.id)).map((e) => e.event)).toEqual(["password_set_by_admin", "password_changed"]);
  });

  it("until the temporary password is changed, the API answers 403 password_change_required except /me, the password and signing out", async () => {
    const user = await createUser(dbQuery());
    await admin.post(`/api/v1/users/${user.id}/password`, { mode: "temporary", password: "temp-pass-9999" });
    const token = (await signIn(user.email, "temp-pass-9999")).body.data.session.access_token as string;
    const refused = [
      await request("GET", "/api/v1/items", { token }),
      await request("GET", "/api/v1/dashboard", { token }),
      await request("PATCH", "/api/v1/auth/me", { token, body: { locale: "zh" } }),
      await request("POST", "/api/v1/tokens", { token, body: { name: "script", scope: "read", expires_in_days: 30 } }),
      await request("POST", "/api/v1/engines", { token, body: { code: "NOPE", name: "Nope" } }),
    ];
    for (const res of refused) {
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.error.code).toBe("password_change_required");
    }
    expect((await q("select 1 from public.engines where code = 'NOPE'")).length).toBe(0);
    const mine = await me(token);
    expect(mine.status).toBe(200);
    expect(mine.body.data.user).toMatchObject({ id: user.id, must_change_password: true });
    // The other allowed calls: signing out (a second session), and the change itself.
    const other = (await signIn(user.email, "temp-pass-9999")).body.data.session.access_token as string;
    expect((await request("POST", "/api/v1/auth/logout", { token: other })).status).toBe(200);
    const changed = await request("POST", "/api/v1/auth/password", { token, body: { current_password: "temp-pass-9999", new_password: "mine-pass-0000" } });
    expect(changed.status).toBe(200);
    const fresh = (await signIn(user.email, "mine-pass-0000")).body.data.session.access_token as string;
    const items = await request("GET", "/api/v1/items", { token: fresh });
    expect(items.status).toBe(200);
    expect((await me(fresh)).body.data.user.must_change_password).toBe(false);
  });

  it("a user with no temporary password reaches the API as usual, and must send the current password to change it", async () => {
    const user = await createUser(dbQuery());
    const token = await tokenOf(user);
    expect((await request("GET", "/api/v1/items", { token })).status).toBe(200);
    expect((await me(token)).body.data.user.must_change_password).toBe(false);
    // Only a recovery link's session (Supabase) may leave the current password out.
    const res = await request("POST", "/api/v1/auth/password", { token, body: { new_password: "new-pass-5678" } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: "current_password" })]);
  });

  it("a personal access token of a user who must change the password is refused too", async () => {
    const user = await createUser(dbQuery());
    const token = await tokenOf(user);
    const pat = await request("POST", "/api/v1/tokens", { token, body: { name: "script", scope: "read", expires_in_days: 30 } });
    expect(pat.status, JSON.stringify(pat.body)).toBe(201);
    expect((await request("GET", "/api/v1/items", { token: pat.body.data.token })).status).toBe(200);
    await admin.post(`/api/v1/users/${user.id}/password`, { mode: "temporary", password: "temp-pass-9999" });
    const res = await request("GET", "/api/v1/items", { token: pat.body.data.token });
    // A token is not a session and lives on after a new password; while the flag holds it is refused like one.
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("password_change_required");
  });

  it("a one-time link, shown once, works once and leaves sessions alone until used", async () => {
    const user = await createUser(dbQuery());
    const old = await tokenOf(user);
    const res = await admin.post(`/api/v1/users/${user.id}/password`, { mode: "link" });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ mode: "link", user_id: user.id, expires_in: 3600 });
    const token = new URL(res.body.data.path, "http://x").searchParams.get("token")!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await q<{ reset_token_hash: string }>("select reset_token_hash from public.account_passwords where user_id = $1", [user.id]);
    expect(stored[0]!.reset_token_hash).not.toContain(token);
    expect((await me(old)).status).toBe(200);
    const used = await request("POST", "/api/v1/auth/password/reset", { body: { token, new_password: "link-pass-1111" } });
    expect(used.status, JSON.stringify(used.body)).toBe(200);
    expect((await me(old)).status).toBe(401);
    expect((await signIn(user.email, "link-pass-1111")).status).toBe(200);
    const twice = await request("POST", "/api/v1/auth/password/reset", { body: { token, new_password: "link-pass-2222" } });
    expect(twice.status).toBe(404);
    expect((await signIn(user.email, "link-pass-2222")).status).toBe(401);
  });

  it("an expired link does nothing", async () => {
    const user = await createUser(dbQuery());
    const res = await admin.post(`/api/v1/users/${user.id}/password`, { mode: "link" });
    const token = new URL(res.body.data.path, "http://x").searchParams.get("token")!;
    await q("update public.account_passwords set reset_expires_at = now() - interval '1 second' where user_id = $1", [user.id]);
    expect((await request("POST", "/api/v1/auth/password/reset", { body: { token, new_password: "late-pass-1111" } })).status).toBe(404);
    expect((await signIn(user.email, user.password)).status).toBe(200);
  });

  it.each(["manager", "korean", "chinese", "acme"] as DemoUser[])("%s cannot (403), and nothing changes", async (who) => {
    const user = await createUser(dbQuery(), { role: "customer", customerId: CUSTOMERS.acme });
    const res = await client(who).post(`/api/v1/users/${user.id}/password`, { mode: "temporary", password: "temp-pass-9999" });
    expect(res.status).toBe(403);
    expect((await signIn(user.email, "temp-pass-9999")).status).toBe(401);
    expect(await events(user.id)).toEqual([]);
  });

  it("not for a deactivated user, nor the admin's own account (409); a deactivated user cannot use a link", async () => {
    const inactive = await createUser(dbQuery(), { active: false });
    expect((await admin.post(`/api/v1/users/${inactive.id}/password`, { mode: "temporary", password: "temp-pass-9999" })).status).toBe(409);
    expect((await admin.post(`/api/v1/users/${inactive.id}/password`, { mode: "link" })).status).toBe(409);
    const self = await admin.get("/api/v1/auth/me");
    expect((await admin.post(`/api/v1/users/${self.body.data.user.id}/password`, { mode: "link" })).status).toBe(409);

    const user = await createUser(dbQuery());
    const res = await admin.post(`/api/v1/users/${user.id}/password`, { mode: "link" });
    const token = new URL(res.body.data.path, "http://x").searchParams.get("token")!;
    await q("update public.profiles set active = false where id = $1", [user.id]);
    expect((await request("POST", "/api/v1/auth/password/reset", { body: { token, new_password: "link-pass-1111" } })).status).toBe(404);
  });

  it("refuses bad bodies and a malformed token (422), and demo passwords stay as they were", async () => {
    const user = await createUser(dbQuery());
    expect((await admin.post(`/api/v1/users/${user.id}/password`, { mode: "temporary", password: "short" })).status).toBe(422);
    expect((await admin.post(`/api/v1/users/${user.id}/password`, { mode: "magic" })).status).toBe(422);
    expect((await request("POST", "/api/v1/auth/password/reset", { body: { token: "nope", new_password: "link-pass-1111" } })).status).toBe(422);
    expect((await signIn("korean@duly.test", DEMO_PASSWORD)).status).toBe(200);
  });
});
