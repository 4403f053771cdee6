import { readFileSync } from "node:fs";
import path from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accountAdmin, resetAccountAdmin } from "@/lib/auth/user-admin";
import { issueResetLink, mustChangePassword, setTemporaryPassword } from "@/lib/data/passwords";
import { resetEnvCache } from "@/lib/env";
import { USERS } from "../helpers/demo";
import { installNextWebSocket, startFakeSupabase, type FakeSupabase, type RecordedRequest } from "../helpers/fake-supabase";
import { request, type ApiResponse } from "../helpers/router";
import { openTestDatabase } from "../helpers/pglite";
import { createTestSessions } from "../helpers/sessions";

installNextWebSocket();

// Passwords in Supabase mode: the password goes through the Auth admin API and the reset is
// Supabase Auth's recovery email (a loopback fake GoTrue records both); the database functions get
// no password and do the rest: the must-change flag, ending the sessions, the security event.

const SERVICE_KEY = "service-role-key-for-tests";
const saved = { ...process.env };
let fake: FakeSupabase;
let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  fake = await startFakeSupabase();
  process.env.NEXT_PUBLIC_SUPABASE_URL = fake.url;
  process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY = "anon-key-for-tests";
  process.env.SUPABASE_SERVICE_ROLE_KEY = SERVICE_KEY;
  resetEnvCache();
  resetAccountAdmin();
});

afterAll(async () => {
  process.env = { ...saved };
  resetEnvCache();
  resetAccountAdmin();
  await fake.close();
});

beforeEach(() => fake.reset());

describe("passwords in Supabase mode", () => {
  it("sets a password through the Auth admin API with the service-role key", async () => {
    fake.on("PUT", `/auth/v1/admin/users/${USERS.chinese.id}`, { body: { id: USERS.chinese.id, aud: "authenticated" } });
    expect(accountAdmin().passwordsIn).toBe("auth");
    await accountAdmin().setPassword(USERS.chinese.id, "temp-pass-9999");
    const [req] = fake.requests.filter((r) => r.method === "PUT");
    expect(req!.headers.authorization).toBe(`Bearer ${SERVICE_KEY}`);
    expect(req!.json).toEqual({ password: "temp-pass-9999" });
  });

  it("a temporary password: the database leaves the stored hash alone, flags the user and ends every session", async () => {
    const before = await db.query<{ h: string }>("select encrypted_password as h from auth.users where id = $1", [USERS.chinese.id]);
    await setTemporaryPassword(USERS.admin.id, USERS.chinese.id, null);
    const after = await db.query<{ h: string }>("select encrypted_password as h from auth.users where id = $1", [USERS.chinese.id]);
    expect(after.rows).toEqual(before.rows);
    expect(await mustChangePassword(USERS.chinese.id)).toBe(true);
    expect((await db.query("select 1 from auth.sessions where user_id = $1", [USERS.chinese.id])).rows).toEqual([]);
    await createTestSessions(async (sql, params) => (await db.query(sql, params)).rows as never, [USERS.chinese.id]);
  });

  it("a reset sends Supabase Auth's recovery email back to the app, and keeps no token", async () => {
    fake.on("POST", "/auth/v1/recover", { body: {} });
    const issued = await issueResetLink(USERS.admin.id, USERS.korean.id, false);
    expect(issued.token).toBeNull();
    await accountAdmin().sendRecovery(issued.email, "http://app.test/login");
    const [req] = fake.requests.filter((r) => r.path === "/auth/v1/recover");
    expect(req!.json).toMatchObject({ email: USERS.korean.email });
    expect(req!.query.get("redirect_to")).toBe("http://app.test/login");
    const stored = await db.query<{ h: string | null }>("select reset_token_hash as h from public.account_passwords where user_id = $1", [USERS.korean.id]);
    expect(stored.rows).toEqual([{ h: null }]);
  });
});

// ----- the recovery email's link, end to end --------------------------------------------------
//
// A fake GoTrue that issues real sessions: each one a row in this file's auth.sessions (as GoTrue
// writes Supabase's) and an HS256 access token naming it, with `amr` saying how it was opened;
// getClaims() asks GET /auth/v1/user to confirm a token. /recover renders the committed email
// template (supabase/templates/recovery.html) as GoTrue would, and /verify redeems its token hash
// once.

const GOTRUE_SECRET = new TextEncoder().encode("fake-gotrue-secret-fake-gotrue-secret");
const TEMPLATE = readFileSync(path.resolve(__dirname, "../../supabase/templates/recovery.html"), "utf8");
const live = new Map<string, { userId: string; email: string }>();
const passwords = new Map<string, string>();
const tokenHashes = new Map<string, { userId: string; email: string }>();
/** The links the fake mailed, by address. */
const mailbox = new Map<string, string>();

async function openSession(userId: string, email: string, method: "password" | "recovery") {
  const sessionId = crypto.randomUUID();
  await db.query("insert into auth.sessions (id, user_id, created_at, updated_at, aal) values ($1, $2, now(), now(), 'aal1')", [sessionId, userId]);
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    role: "authenticated",
    email,
    session_id: sessionId,
    aal: "aal1",
    amr: [{ method, timestamp: now }],
    app_metadata: { provider: "email" },
    user_metadata: {},
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`${fake.url}/auth/v1`)
    .setAudience("authenticated")
    .setSubject(userId)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(GOTRUE_SECRET);
  live.set(token, { userId, email });
  const user = { id: userId, aud: "authenticated", role: "authenticated", email, app_metadata: { provider: "email" }, user_metadata: {}, created_at: "2024-01-01T00:00:00Z" };
  return { access_token: token, token_type: "bearer", expires_in: 3600, expires_at: now + 3600, refresh_token: `refresh-${sessionId}`, user };
}

const bearerOf = (req: RecordedRequest) => /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1] ?? null;
const goTrueError = (status: number, code: string, msg: string) => ({ status, body: { code: status, error_code: code, msg } });
const idOf = (email: string) => Object.values(USERS).find((u) => u.email === email)!.id;

function installGoTrue() {
  fake.on("POST", "/auth/v1/token", async (req) => {
    const body = req.json as { email: string; password: string };
    if (req.query.get("grant_type") !== "password" || passwords.get(body.email) !== body.password) {
      return goTrueError(400, "invalid_credentials", "Invalid login credentials");
    }
    return { body: await openSession(idOf(body.email), body.email, "password") };
  });
  fake.on("GET", "/auth/v1/user", (req) => {
    const who = live.get(bearerOf(req) ?? "");
    return who ? { body: { id: who.userId, aud: "authenticated", role: "authenticated", email: who.email } } : goTrueError(403, "bad_jwt", "invalid JWT");
  });
  fake.on("POST", "/auth/v1/recover", (req) => {
    const email = (req.json as { email: string }).email;
    const hash = Buffer.from(crypto.getRandomValues(new Uint8Array(28))).toString("hex");
    tokenHashes.set(hash, { userId: idOf(email), email });
    const html = TEMPLATE.replaceAll("{{ .RedirectTo }}", req.query.get("redirect_to") ?? "").replaceAll("{{ .TokenHash }}", hash).replaceAll("{{ .Email }}", email);
    mailbox.set(email, /href="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&"));
    return { body: {} };
  });
  fake.on("POST", "/auth/v1/verify", async (req) => {
    const body = req.json as { type: string; token_hash: string };
    const owner = body.type === "recovery" ? tokenHashes.get(body.token_hash) : undefined;
    if (!owner) return goTrueError(403, "otp_expired", "Email link is invalid or has expired");
    tokenHashes.delete(body.token_hash);
    return { body: await openSession(owner.userId, owner.email, "recovery") };
  });
  fake.onPrefix("PUT", "/auth/v1/admin/users/", (req) => {
    const id = req.path.split("/").pop()!;
    const email = Object.values(USERS).find((u) => u.id === id)!.email;
    passwords.set(email, (req.json as { password: string }).password);
    return { body: { id, aud: "authenticated" } };
  });
}

const signInAs = async (email: string) => (await openSession(idOf(email), email, "password")).access_token;
/** What a browser sends back for a response's Set-Cookie lines (cleared cookies dropped). */
const cookiesOf = (res: Response | ApiResponse) =>
  res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .filter((pair) => !pair.endsWith("="))
    .join("; ");

describe("the recovery email's link in Supabase mode", () => {
  beforeEach(() => {
    installGoTrue();
    passwords.clear();
    for (const u of Object.values(USERS)) passwords.set(u.email, "duly-demo-pass");
  });

  async function mailedLink(host: string): Promise<string> {
    const admin = await signInAs(USERS.admin.email);
    const res = await request("POST", `/api/v1/users/${USERS.korean.id}/password`, {
      token: admin,
      body: { mode: "link" },
      headers: { "x-forwarded-host": host, "x-forwarded-proto": "https" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toEqual({ mode: "email", user_id: USERS.korean.id, email: USERS.korean.email });
    const [recover] = fake.requests.filter((r) => r.path === "/auth/v1/recover");
    // Back to the app as the admin reached it, on the page that opens the recovery session.
    expect(recover!.query.get("redirect_to")).toBe(`https://${host}/auth/confirm`);
    return mailbox.get(USERS.korean.email)!;
  }

  const confirm = async (link: string) => {
    const { GET } = await import("@/app/auth/confirm/route");
    return GET(new Request(link.replace(/^https:\/\/[^/]+/, "http://localhost"), { headers: { "x-forwarded-proto": "https" } }));
  };

  it("lands on a page that opens a recovery session; that session may only set the new password, without the current one", async () => {
    const link = await mailedLink("erp.example.test");
    expect(link).toMatch(/^https:\/\/erp\.example\.test\/auth\/confirm\?token_hash=[0-9a-f]+&type=recovery$/);
    const other = await signInAs(USERS.korean.email);

    const landed = await confirm(link);
    expect(landed.status).toBe(303);
    expect(landed.headers.get("location")).toBe("/account/password");
    const cookie = cookiesOf(landed);
    expect(cookie).toMatch(/^sb-[^=]+-auth-token/);
    const verify = fake.requests.find((r) => r.path === "/auth/v1/verify")!;
    expect(verify.json).toMatchObject({ type: "recovery", token_hash: new URL(link).searchParams.get("token_hash") });

    // The recovery session reads /me (flagged) and nothing else.
    const mine = await request("GET", "/api/v1/auth/me", { cookie });
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(mine.body.data.user).toMatchObject({ id: USERS.korean.id, must_change_password: true });
    for (const res of [await request("GET", "/api/v1/items", { cookie }), await request("POST", "/api/v1/tokens", { cookie, body: { name: "x", scope: "read", expires_in_days: 30 } })]) {
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.error.code).toBe("password_change_required");
    }

    const changed = await request("POST", "/api/v1/auth/password", { cookie, body: { new_password: "recovered-pass-1" } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.data).toEqual({ changed: true, signed_in: true });
    // Set through the Auth admin API with the service-role key; every older session ended.
    const put = fake.requests.find((r) => r.method === "PUT" && r.path === `/auth/v1/admin/users/${USERS.korean.id}`)!;
    expect(put.headers.authorization).toBe(`Bearer ${SERVICE_KEY}`);
    expect(put.json).toEqual({ password: "recovered-pass-1" });
    expect((await request("GET", "/api/v1/auth/me", { cookie })).status).toBe(401);
    expect((await request("GET", "/api/v1/auth/me", { token: other })).status).toBe(401);
    // The browser goes on with a fresh password session, no longer held.
    const fresh = cookiesOf(changed);
    expect((await request("GET", "/api/v1/items", { cookie: fresh })).status).toBe(200);
    const events = await db.query<{ e: string }>(
      "select after ->> 'event' as e from public.audit_log where table_name = 'password_events' and row_id = $1 order by id",
      [USERS.korean.id],
    );
    expect(events.rows.map((r) => r.e).slice(-2)).toEqual(["password_reset_sent", "password_changed"]);
  });

  it("a link used once, or made up, opens nothing and says why", async () => {
    const link = await mailedLink("127.0.0.1:3000");
    expect((await confirm(link)).status).toBe(303);
    for (const again of [link, link.replace(/token_hash=[0-9a-f]+/, "token_hash=deadbeefdeadbeefdeadbeef"), link.replace("type=recovery", "type=signup")]) {
      const res = await confirm(again);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/reset-password?invalid=1");
      expect(res.headers.getSetCookie().filter((c) => /auth-token=[^;]/.test(c))).toEqual([]);
    }
  });

  it("a password session still needs the current password, and reaches the API as usual", async () => {
    const token = await signInAs(USERS.korean.email);
    expect((await request("GET", "/api/v1/items", { token })).status).toBe(200);
    const res = await request("POST", "/api/v1/auth/password", { token, body: { new_password: "recovered-pass-1" } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: "current_password" })]);
    expect(fake.requests.filter((r) => r.method === "PUT")).toEqual([]);
  });
});
