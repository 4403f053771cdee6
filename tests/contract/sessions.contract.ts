import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { issue, SESSION_COOKIE } from "@/lib/auth/embedded-session";
import { refreshCookies } from "@/lib/auth/refresh";
import type { Credentials } from "@/lib/auth/types";
import { call, service } from "@/lib/db";
import type { JwtClaims } from "@/lib/db/types";
import { fnMe, fnMeCounting } from "@/lib/data/profiles";
import { env } from "@/lib/env";
import { as } from "../helpers/as";
import { executors } from "./foundation/catalog";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, DEMO_PASSWORD, USERS } from "../helpers/demo";
import { callerOf, createCustomer, createUser, type TestUser } from "../helpers/fixtures";
import { request, type ApiResponse } from "../helpers/router";
import { sqlAs } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

const COUNT_WRITE = { p_kind: "write", p_limit: 5, p_window_seconds: 60, p_cost: 1, p_address_limit: 0 } as const;

// Sessions are server-side facts (issue 12), on PGlite and real Postgres:
// a token works only while the auth.sessions row its session_id names exists, for its own user,
// and is not past not_after. Checked in the identity call (public.me, and me_counting through it), so
// logout, sign-out of all devices, deactivation, role and password changes end sessions at once,
// and a reactivation brings none back.

let ipCounter = 0;

type SignedIn = { token: string; cookie: string; sessionId: string; claims: JwtClaims };

function claimsOf(token: string): JwtClaims {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()) as JwtClaims;
}

/** Signs in through the API (each from an address of its own: the sign-in limit is per address). */
async function signIn(email: string, password: string): Promise<SignedIn> {
  const res = await request("POST", "/api/v1/auth/login", { body: { email, password }, headers: { "x-real-ip": `sessions-test-${ipCounter++}` } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const token = res.body.data.session.access_token as string;
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
  const claims = claimsOf(token);
  return { token, cookie: line.split(";")[0], sessionId: claims.session_id!, claims };
}

const meWithCookie = (s: SignedIn) => request("GET", "/api/v1/auth/me", { cookie: s.cookie });
const meWithToken = (s: SignedIn) => request("GET", "/api/v1/auth/me", { token: s.token });

async function expectLive(s: SignedIn, live: boolean) {
  const expected = live ? 200 : 401;
  expect((await meWithCookie(s)).status, "cookie").toBe(expected);
  expect((await meWithToken(s)).status, "bearer").toBe(expected);
}

const logout = (opts: { token?: string; cookie?: string; body?: unknown; form?: string }): Promise<ApiResponse> =>
  request("POST", "/api/v1/auth/logout", {
    token: opts.token,
    cookie: opts.cookie,
    body: opts.body,
    ...(opts.form !== undefined ? { rawBody: opts.form, headers: { "content-type": "application/x-www-form-urlencoded" } } : {}),
  });

const credsOf = (cookieValue: string): Credentials => ({ cookies: new Map([[SESSION_COOKIE, cookieValue]]), authorization: null, secure: false });

function describeSessionsContract(makeDb: MakeDb) {
  describe("sessions: server-side facts", () => {
    const getDb = databaseForSuite(makeDb);
    const sessionsOf = async (userId: string) =>
      (await getDb().query<{ id: string }>("select id from auth.sessions where user_id = $1 order by created_at, id", [userId])).map((r) => r.id);
    const newUser = (opts: Parameters<typeof createUser>[1] = {}) => createUser(getDb().query, opts);

    afterEach(() => {
      vi.useRealTimers();
    });

    describe("the identity call (public.me, public.me_counting)", () => {
      it("answers for a token whose session is live", async () => {
        const user = await newUser();
        expect(await call(fnMe, {}, callerOf(user))).toMatchObject({ id: user.id });
        expect((await call(fnMeCounting, COUNT_WRITE, callerOf(user))).profile).toMatchObject({ id: user.id });
      });

      it("says whether the caller must change their password (a temporary one), and only about the caller", async () => {
        const flagged = await newUser();
        const other = await newUser();
        await getDb().query("insert into public.account_passwords (user_id, must_change) values ($1, true)", [flagged.id]);
        expect(await call(fnMe, {}, callerOf(flagged))).toMatchObject({ id: flagged.id, must_change_password: true });
        expect((await call(fnMeCounting, COUNT_WRITE, callerOf(flagged))).profile).toMatchObject({ must_change_password: true });
        expect(await call(fnMe, {}, callerOf(other))).toMatchObject({ id: other.id, must_change_password: false });
        expect((await call(fnMeCounting, COUNT_WRITE, callerOf(other))).profile).toMatchObject({ must_change_password: false });
        expect(await call(fnMe, { p_actor: flagged.id }, service)).toMatchObject({ must_change_password: true });
        // A changed password lifts it.
        await getDb().query("update public.account_passwords set must_change = false where user_id = $1", [flagged.id]);
        expect(await call(fnMe, {}, callerOf(flagged))).toMatchObject({ must_change_password: false });
      });

      it("treats a token without a session_id, a forged one, one that is no uuid or another user's as signed out", async () => {
        const user = await newUser();
        const other = await newUser();
        const noSession = { role: "authenticated" as const, userId: user.id, claims: { sub: user.id, role: "authenticated" as const, email: user.email } };
        for (const caller of [noSession, callerOf(user, randomUUID()), callerOf(user, "not-a-uuid"), callerOf(user, other.id)]) {
          expect(await call(fnMe, {}, caller)).toBeNull();
          expect(await call(fnMeCounting, COUNT_WRITE, caller)).toEqual({ profile: null, rate: null, address_rate: null });
        }
        // The same user in their own session is answered (the refusals above are about the session).
        expect(await call(fnMe, {}, callerOf(user))).toMatchObject({ id: user.id });
        // As plain SQL too, as PostgREST would run it with such a token.
        expect(await sqlAs(getDb(), { id: user.id, sessionId: null }, "select public.me() as me")).toEqual([{ me: null }]);
        expect(await sqlAs(getDb(), { id: user.id }, "select public.me() ->> 'id' as id")).toEqual([{ id: user.id }]);
      });

      it("treats a session past its not_after as signed out", async () => {
        const user = await newUser();
        await getDb().query("update auth.sessions set not_after = now() - interval '1 second' where id = $1", [user.id]);
        expect(await call(fnMe, {}, callerOf(user))).toBeNull();
        await getDb().query("update auth.sessions set not_after = now() + interval '1 hour' where id = $1", [user.id]);
        expect(await call(fnMe, {}, callerOf(user))).toMatchObject({ id: user.id });
      });

      it("a write counted for a revoked session counts nothing", async () => {
        const user = await newUser();
        await getDb().query("delete from auth.sessions where user_id = $1", [user.id]);
        expect(await call(fnMeCounting, COUNT_WRITE, callerOf(user))).toEqual({ profile: null, rate: null, address_rate: null });
        const buckets = await getDb().query("select 1 from public.rate_limits where bucket = $1", [`write:user:${user.id}`]);
        expect(buckets).toEqual([]);
      });

      it("a revoked session's token is nobody to every function and policy, as a direct call on Supabase would be", async () => {
        // On Supabase the access token of a signed-out user stays valid at PostgREST until it
        // expires; the functions themselves must refuse it (private.actor()).
        const REFUSED = expect.stringMatching(/^(unauthorized|forbidden|not_found)$/);
        const manager = await newUser({ role: "manager" });
        const customer = await newUser({ role: "customer", customerId: CUSTOMERS.acme });
        const before = {
          items: await sqlAs(getDb(), { id: manager.id }, "select (public.items_list(p_page => 1, p_limit => 5) ->> 'count')::int as n"),
          inspections: await sqlAs(getDb(), { id: customer.id }, "select (public.inspections_list(p_page => 1, p_limit => 5) -> 'count')::int as n"),
        };
        expect(before.items[0].n).toBeGreaterThan(0);
        expect(before.inspections[0].n).toBeGreaterThan(0);
        await getDb().query("delete from auth.sessions where user_id = any($1)", [[manager.id, customer.id]]);
        await expect(sqlAs(getDb(), { id: manager.id }, "select public.items_list(p_page => 1, p_limit => 5)")).rejects.toMatchObject({ message: REFUSED });
        await expect(sqlAs(getDb(), { id: manager.id }, "select public.engine_create(p_data => '{\"code\": \"REVOKED\", \"name_ko\": \"x\"}'::jsonb)")).rejects.toMatchObject({ message: REFUSED });
        await expect(sqlAs(getDb(), { id: customer.id }, "select public.update_my_profile(p_display_name => 'Still here')")).rejects.toMatchObject({ message: REFUSED });
        const inspections = await sqlAs(getDb(), { id: customer.id }, "select count(*)::int as n from public.inspection_applications");
        expect(inspections).toEqual([{ n: 0 }]);
        expect(await getDb().query("select 1 from public.engines where code = 'REVOKED'")).toEqual([]);
        expect(await getDb().query("select display_name from public.profiles where id = $1 and display_name = 'Still here'", [customer.id])).toEqual([]);
      });

      it("the service role naming an actor is not a session and is unaffected", async () => {
        const user = await newUser();
        await getDb().query("delete from auth.sessions where user_id = $1", [user.id]);
        expect(await call(fnMe, {}, callerOf(user))).toBeNull();
        expect(await call(fnMe, { p_actor: user.id }, service)).toMatchObject({ id: user.id, active: true });
      });
    });

    describe("grants", () => {
      it.each([
        ["auth.create_session(uuid, integer, text)", ["service_role"]],
        ["auth.refresh_session(uuid, uuid)", ["service_role"]],
        ["auth.sign_out(text)", ["authenticated"]],
        ["private.session_is_live()", ["authenticated", "service_role"]],
        ["public.me(uuid)", ["authenticated", "service_role"]],
        ["public.me_counting(text, integer, integer, integer, text, integer)", ["authenticated"]],
      ])("%s is executable by exactly %j", async (fn, expected) => {
        expect(await executors(getDb().query, fn)).toEqual(expected);
      });

      it("auth.sessions is closed to the API roles (row security on, no grant)", async () => {
        for (const who of ["anon", "admin", "service_role"] as const) {
          await expect(sqlAs(getDb(), who, "select * from auth.sessions")).rejects.toMatchObject({ code: "42501" });
          await expect(sqlAs(getDb(), who, "delete from auth.sessions")).rejects.toMatchObject({ code: "42501" });
        }
        const [t] = await getDb().query<{ rls: boolean }>("select relrowsecurity as rls from pg_class where oid = 'auth.sessions'::regclass");
        expect(t.rls).toBe(true);
      });

      it("a user cannot create, refresh or read sessions through the server's functions", async () => {
        await expect(sqlAs(getDb(), "korean", `select auth.create_session('${USERS.korean.id}', 3600)`)).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), "korean", `select auth.refresh_session('${USERS.korean.id}', '${USERS.korean.id}')`)).rejects.toMatchObject({
          code: "42501",
        });
        await expect(sqlAs(getDb(), "anon", "select auth.sign_out('global')")).rejects.toMatchObject({ code: "42501" });
      });
    });

    describe("auth.sign_out (GoTrue's /logout for the embedded modes)", () => {
      async function userWithSessions(n: number): Promise<{ user: TestUser; ids: string[] }> {
        const user = await newUser();
        const ids = [user.id];
        for (let i = 1; i < n; i++) {
          const [row] = await getDb().query<{ s: { id: string } }>("select auth.create_session($1, 3600) as s", [user.id]);
          ids.push(row.s.id);
        }
        return { user, ids };
      }
      const signOut = (user: TestUser, sessionId: string | null, scope: string) =>
        getDb().rolledBack(async (q) => {
          const claims = { sub: user.id, role: "authenticated", ...(sessionId ? { session_id: sessionId } : {}) };
          await q("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
          const [r] = await q<{ n: number }>("select auth.sign_out($1) as n", [scope]);
          await q("select set_config('role', 'none', true)");
          const left = await q<{ id: string }>("select id from auth.sessions where user_id = $1", [user.id]);
          return { n: r.n, left: left.map((x) => x.id).sort() };
        });

      it("local ends this session only, others every other one, global all of them", async () => {
        const { user, ids } = await userWithSessions(3);
        expect(await signOut(user, ids[1], "local")).toEqual({ n: 1, left: [ids[0], ids[2]].sort() });
        expect(await signOut(user, ids[1], "others")).toEqual({ n: 2, left: [ids[1]] });
        expect(await signOut(user, ids[1], "global")).toEqual({ n: 3, left: [] });
      });

      it("ends nothing for a token whose session is gone, forged or missing, and never another user's", async () => {
        const { user, ids } = await userWithSessions(2);
        const other = await newUser();
        expect(await signOut(user, randomUUID(), "global")).toEqual({ n: 0, left: [...ids].sort() });
        expect(await signOut(user, null, "global")).toEqual({ n: 0, left: [...ids].sort() });
        // Another user's session id in this user's token.
        expect(await signOut(user, other.id, "global")).toEqual({ n: 0, left: [...ids].sort() });
        expect(await sessionsOf(other.id)).toEqual([other.id]);
      });

      it("refuses an unknown scope", async () => {
        const { user } = await userWithSessions(1);
        await expect(signOut(user, user.id, "everything")).rejects.toMatchObject({ code: "22023" });
      });
    });

    describe("changes that end every session of the user, in the same transaction", () => {
      it("deactivation ends them; reactivation brings none back", async () => {
        const user = await newUser();
        await getDb().query("update public.profiles set active = false where id = $1", [user.id]);
        expect(await sessionsOf(user.id)).toEqual([]);
        await getDb().query("update public.profiles set active = true where id = $1", [user.id]);
        expect(await sessionsOf(user.id)).toEqual([]);
        expect(await call(fnMe, {}, callerOf(user))).toBeNull();
      });

      it("a role change and a change of customer company end them", async () => {
        const staff = await newUser({ role: "korean_team" });
        await getDb().query("update public.profiles set role = 'chinese_staff' where id = $1", [staff.id]);
        expect(await sessionsOf(staff.id)).toEqual([]);

        const customer = await createCustomer(getDb().query);
        const buyer = await newUser({ role: "customer", customerId: CUSTOMERS.acme });
        await getDb().query("update public.profiles set customer_id = $2 where id = $1", [buyer.id, customer.id]);
        expect(await sessionsOf(buyer.id)).toEqual([]);
      });

      it("a new password ends them", async () => {
        const user = await newUser();
        await getDb().query("select auth.create_session($1, 3600)", [user.id]);
        expect(await sessionsOf(user.id)).toHaveLength(2);
        await getDb().query("update auth.users set encrypted_password = extensions.crypt('a-new-pass-5678', extensions.gen_salt('bf', 4)) where id = $1", [
          user.id,
        ]);
        expect(await sessionsOf(user.id)).toEqual([]);
      });

      it("a change of name, language or sign-in time ends nothing (control)", async () => {
        const user = await newUser();
        await getDb().query("update public.profiles set display_name = 'Renamed', locale = 'en' where id = $1", [user.id]);
        await getDb().query("update auth.users set last_sign_in_at = now() where id = $1", [user.id]);
        expect(await sessionsOf(user.id)).toEqual([user.id]);
      });

      it("a change the database refuses ends nothing", async () => {
        const user = await newUser({ role: "korean_team" });
        // A customer role without a company: validation_failed, the transaction rolls back.
        await expect(sqlAs(getDb(), "admin", `select public.user_update('${user.id}', p_role => 'customer')`)).rejects.toMatchObject({
          message: "validation_failed",
        });
        expect(await sessionsOf(user.id)).toEqual([user.id]);
      });
    });

    describe("through the API", () => {
      it("after logout the old cookie and the old bearer token get 401 (the verified-token cache does not keep them alive)", async () => {
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        expect(await sessionsOf(user.id)).toContain(s.sessionId);
        // Used once, so the signature check of this token is cached.
        await expectLive(s, true);
        const res = await logout({ cookie: s.cookie });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ data: { signed_out: true, scope: "local" } });
        expect(res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=;`))).toMatch(/Max-Age=0/);
        await expectLive(s, false);
        expect(await sessionsOf(user.id)).not.toContain(s.sessionId);
      });

      it("a bearer client signs out with its token", async () => {
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        expect((await logout({ token: s.token })).status).toBe(200);
        await expectLive(s, false);
      });

      it("a second session of the same user survives a local logout but not a global one", async () => {
        const user = await newUser();
        const a = await signIn(user.email, user.password);
        const b = await signIn(user.email, user.password);
        const c = await signIn(user.email, user.password);
        expect(new Set([a.sessionId, b.sessionId, c.sessionId]).size).toBe(3);

        expect((await logout({ cookie: a.cookie })).status).toBe(200);
        await expectLive(a, false);
        await expectLive(b, true);
        await expectLive(c, true);

        const global = await logout({ token: b.token, body: { scope: "global" } });
        expect(global.status).toBe(200);
        expect(global.body).toEqual({ data: { signed_out: true, scope: "global" } });
        await expectLive(b, false);
        await expectLive(c, false);
        expect(await sessionsOf(user.id)).toEqual([]);
        // Signing in again works.
        await expectLive(await signIn(user.email, user.password), true);
      });

      it("'sign out of all devices' from the user menu's form ends every session and goes to /login", async () => {
        const user = await newUser();
        const a = await signIn(user.email, user.password);
        const b = await signIn(user.email, user.password);
        const res = await logout({ cookie: a.cookie, form: "scope=global" });
        expect(res.status).toBe(303);
        expect(res.headers.get("location")).toBe("/login");
        await expectLive(a, false);
        await expectLive(b, false);
      });

      it("a revoked token cannot sign its user out elsewhere", async () => {
        const user = await newUser();
        const a = await signIn(user.email, user.password);
        const b = await signIn(user.email, user.password);
        await logout({ cookie: a.cookie });
        expect((await logout({ token: a.token, body: { scope: "global" } })).status).toBe(200);
        await expectLive(b, true);
      });

      it("refuses an unknown scope (422) or a body that is not JSON (400), ending nothing", async () => {
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        const bad = await logout({ token: s.token, body: { scope: "everywhere" } });
        expect(bad.status).toBe(422);
        expect(bad.body.error.code).toBe("validation_failed");
        const notJson = await request("POST", "/api/v1/auth/logout", { token: s.token, rawBody: "{", headers: { "content-type": "application/json" } });
        expect(notJson.status).toBe(400);
        expect(notJson.body.error.code).toBe("invalid_json");
        await expectLive(s, true);
      });

      it("deactivation by an admin ends the user's sessions at once; reactivation does not bring them back", async () => {
        const admin = await signIn(USERS.admin.email, DEMO_PASSWORD);
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        await expectLive(s, true);
        expect((await request("PATCH", `/api/v1/users/${user.id}`, { token: admin.token, body: { active: false } })).status).toBe(200);
        await expectLive(s, false);
        expect((await request("PATCH", `/api/v1/users/${user.id}`, { token: admin.token, body: { active: true } })).status).toBe(200);
        await expectLive(s, false);
        expect(await sessionsOf(user.id)).toEqual([]);
        await expectLive(await signIn(user.email, user.password), true);
      });

      it("a role change by an admin ends the user's sessions at once; the next sign-in has the new role", async () => {
        const admin = await signIn(USERS.admin.email, DEMO_PASSWORD);
        const user = await newUser({ role: "korean_team" });
        const s = await signIn(user.email, user.password);
        expect((await request("PATCH", `/api/v1/users/${user.id}`, { token: admin.token, body: { role: "chinese_staff" } })).status).toBe(200);
        await expectLive(s, false);
        const again = await signIn(user.email, user.password);
        expect((await meWithToken(again)).body.data.user.role).toBe("chinese_staff");
        // A name change by the admin ends nothing (control).
        expect((await request("PATCH", `/api/v1/users/${user.id}`, { token: admin.token, body: { display_name: "Renamed" } })).status).toBe(200);
        await expectLive(again, true);
      });

      it("a deactivated user's refused sign-in leaves no session behind", async () => {
        const user = await newUser({ active: false });
        const res = await request("POST", "/api/v1/auth/login", { body: { email: user.email, password: user.password }, headers: { "x-real-ip": `sessions-test-${ipCounter++}` } });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe("account_disabled");
        expect(await sessionsOf(user.id)).toEqual([]);
      });

      it("a forged session_id or a token without one, correctly signed, gets 401", async () => {
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        const { exp, iat, session_id, ...claims } = s.claims;
        void exp;
        void iat;
        void session_id;
        const forged = await issue({ ...claims, session_id: randomUUID() });
        const without = await issue(claims);
        const sameAgain = await issue({ ...claims, session_id: s.sessionId });
        for (const token of [forged.accessToken, without.accessToken]) {
          expect((await request("GET", "/api/v1/auth/me", { token })).status).toBe(401);
          expect((await request("GET", "/api/v1/auth/me", { cookie: `${SESSION_COOKIE}=${token}` })).status).toBe(401);
        }
        // Control: the same claims with the real session_id work.
        expect((await request("GET", "/api/v1/auth/me", { token: sameAgain.accessToken })).status).toBe(200);
      });
    });

    describe("sliding refresh (the proxy for pages, the route wrapper for the API)", () => {
      /** The same claims, issued long enough ago that the cookie is past half its life. */
      async function agedCookie(s: SignedIn): Promise<string> {
        const { exp, iat, ...claims } = s.claims;
        void exp;
        void iat;
        vi.useFakeTimers({ toFake: ["Date"] });
        vi.setSystemTime(Date.now() - (env().SESSION_TTL_SECONDS / 2 + 60) * 1000);
        const aged = await issue(claims);
        vi.useRealTimers();
        return aged.accessToken;
      }

      it("a live session slides with the same session_id, and the refresh is recorded", async () => {
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        const aged = await agedCookie(s);
        const [cookie] = await refreshCookies(credsOf(aged));
        expect(cookie?.name).toBe(SESSION_COOKIE);
        expect(cookie.value).not.toBe("");
        const renewed = claimsOf(cookie.value);
        expect(renewed.session_id).toBe(s.sessionId);
        expect(renewed.exp!).toBeGreaterThan(claimsOf(aged).exp!);
        const [row] = await getDb().query<{ refreshed: boolean }>("select refreshed_at is not null as refreshed from auth.sessions where id = $1", [s.sessionId]);
        expect(row.refreshed).toBe(true);
        expect((await request("GET", "/api/v1/auth/me", { cookie: `${SESSION_COOKIE}=${cookie.value}` })).status).toBe(200);
      });

      it("a revoked cookie does not slide: the browser is told to drop it", async () => {
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        const aged = await agedCookie(s);
        await logout({ token: s.token });
        const cookies = await refreshCookies(credsOf(aged));
        expect(cookies).toHaveLength(1);
        expect(cookies[0]).toMatchObject({ name: SESSION_COOKIE, value: "", options: { maxAge: 0 } });
      });

      /** The session cookies a response sets, by name: value (decoded) and whether it is a removal. */
      const setCookies = (res: ApiResponse) =>
        res.headers.getSetCookie().map((c) => {
          const [pair, ...attrs] = c.split("; ");
          const eq = pair.indexOf("=");
          return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), removed: attrs.includes("Max-Age=0") };
        });

      it("an API request slides an aged cookie itself (no proxy runs for the API); a fresh cookie or a bearer token gets no cookie", async () => {
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        const aged = await agedCookie(s);
        const res = await request("GET", "/api/v1/auth/me", { cookie: `${SESSION_COOKIE}=${aged}` });
        expect(res.status).toBe(200);
        expect(res.body.data.user.id).toBe(user.id);
        const [cookie, ...more] = setCookies(res);
        expect(more).toEqual([]);
        expect(cookie).toMatchObject({ name: SESSION_COOKIE, removed: false });
        expect(claimsOf(cookie.value).session_id).toBe(s.sessionId);
        expect(claimsOf(cookie.value).exp!).toBeGreaterThan(claimsOf(aged).exp!);
        // The new cookie is not due yet: nothing more to slide.
        const again = await request("GET", "/api/v1/auth/me", { cookie: `${SESSION_COOKIE}=${cookie.value}` });
        expect(again.status).toBe(200);
        expect(setCookies(again)).toEqual([]);
        // The same aged token as a bearer token: the client renews its own tokens.
        const bearer = await request("GET", "/api/v1/auth/me", { token: aged });
        expect(bearer.status).toBe(200);
        expect(setCookies(bearer)).toEqual([]);
      });

      it("a route's own session cookie wins over the slide: a password change with an aged cookie leaves only the new session's", async () => {
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        const aged = await agedCookie(s);
        const res = await request("POST", "/api/v1/auth/password", {
          cookie: `${SESSION_COOKIE}=${aged}`,
          body: { current_password: user.password, new_password: "a-new-password-for-the-slide-test" },
          headers: { "x-real-ip": `sessions-test-${ipCounter++}` },
        });
        expect(res.status).toBe(200);
        expect(res.body.data).toEqual({ changed: true, signed_in: true });
        const cookies = setCookies(res).filter((c) => c.name === SESSION_COOKIE);
        expect(cookies).toHaveLength(1);
        expect(claimsOf(cookies[0].value).session_id).not.toBe(s.sessionId);
        expect((await request("GET", "/api/v1/auth/me", { cookie: `${SESSION_COOKIE}=${cookies[0].value}` })).status).toBe(200);
        expect((await request("GET", "/api/v1/auth/me", { cookie: `${SESSION_COOKIE}=${aged}` })).status).toBe(401);
      });

      it("an API request with a revoked aged cookie: 401, and the browser is told to drop the cookie", async () => {
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        const aged = await agedCookie(s);
        await logout({ token: s.token });
        const res = await request("GET", "/api/v1/items", { cookie: `${SESSION_COOKIE}=${aged}` });
        expect(res.status).toBe(401);
        expect(setCookies(res)).toEqual([{ name: SESSION_COOKIE, value: "", removed: true }]);
      });

      it("never slides past the session's absolute limit (not_after)", async () => {
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        const aged = await agedCookie(s);
        // The limit falls before the aged cookie's own expiry: nothing later can be issued.
        await getDb().query("update auth.sessions set not_after = to_timestamp($2) where id = $1", [s.sessionId, claimsOf(aged).exp! - 30]);
        expect(await refreshCookies(credsOf(aged))).toEqual([]);
        // A limit a little later: the new cookie ends exactly there.
        const limit = claimsOf(aged).exp! + 120;
        await getDb().query("update auth.sessions set not_after = to_timestamp($2) where id = $1", [s.sessionId, limit]);
        const [cookie] = await refreshCookies(credsOf(aged));
        expect(claimsOf(cookie.value).exp).toBe(limit);
        // Past the limit: dropped, and refused.
        await getDb().query("update auth.sessions set not_after = now() - interval '1 second' where id = $1", [s.sessionId]);
        expect((await refreshCookies(credsOf(aged)))[0]).toMatchObject({ value: "", options: { maxAge: 0 } });
        await expectLive(s, false);
      });

      it("a new session clears the user's sessions past their limit, and only those", async () => {
        const user = await newUser();
        const other = await newUser();
        const [old] = await getDb().query<{ s: { id: string } }>("select auth.create_session($1, 3600) as s", [user.id]);
        await getDb().query("update auth.sessions set not_after = now() - interval '1 second' where id = any ($1::uuid[])", [[old.s.id, other.id]]);
        const [fresh] = await getDb().query<{ s: { id: string } }>("select auth.create_session($1, 3600) as s", [user.id]);
        expect((await sessionsOf(user.id)).sort()).toEqual([user.id, fresh.s.id].sort());
        expect(await sessionsOf(other.id)).toEqual([other.id]);
      });

      it("sign-in sets not_after SESSION_MAX_AGE_SECONDS ahead", async () => {
        const user = await newUser();
        const s = await signIn(user.email, user.password);
        const [row] = await getDb().query<{ ahead: number }>(
          "select extract(epoch from not_after - created_at)::int as ahead from auth.sessions where id = $1",
          [s.sessionId],
        );
        expect(row.ahead).toBe(env().SESSION_MAX_AGE_SECONDS);
      });
    });

    it("demo callers built by hand use their standing test session (tests/helpers/sessions.ts)", async () => {
      expect(await call(fnMe, {}, as("admin"))).toMatchObject({ id: USERS.admin.id });
    });
  });
}

describeSessionsContract(contractDb);
