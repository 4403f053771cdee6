import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { GET as loginGet, POST as login } from "@/app/api/v1/auth/login/route";
import { POST as logout } from "@/app/api/v1/auth/logout/route";
import { GET as me } from "@/app/api/v1/auth/me/route";
import { call } from "@/lib/db";
import { fnAdminSetUserAccess } from "@/lib/data/profiles";
import { env } from "@/lib/env";
import { as } from "../helpers/as";
import { CUSTOMERS, DEMO_PASSWORD, USERS, type DemoUser } from "../helpers/demo";
import { createUser } from "../helpers/fixtures";
import { bodyOf, cookieValue, expectIdentityHeaders, invoke, request, setCookie } from "../helpers/http";
import { testSessionId } from "../helpers/sessions";
import { openPgliteTestDb } from "../helpers/pglite";
import { databaseForSuite } from "../helpers/test-db";

// POST/GET /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me: the route
// handlers themselves, on this file's own embedded database.

const getDb = databaseForSuite(openPgliteTestDb);

type ErrorBody = { error: { code: string; message: string; details?: unknown } };
type LoginBody = {
  data: { user: { id: string; email: string; role: string; customer_id: string | null }; session: { access_token: string } };
};
type MeBody = { data: { user: { id: string; email: string; role: string; customer_id: string | null; display_name: string; locale: string } } };

const postLogin = (body: unknown, headers?: Record<string, string>) =>
  invoke(login, request("POST", "/api/v1/auth/login", { body, headers }));
const getMe = (headers: Record<string, string> = {}) => invoke(me, request("GET", "/api/v1/auth/me", { headers }));

async function signIn(email: string, password: string) {
  const res = await postLogin({ email, password });
  expect(res.status).toBe(200);
  const cookie = setCookie(res, "duly_session");
  expect(cookie).toBeDefined();
  const body = await bodyOf<LoginBody>(res);
  return { cookie: `duly_session=${cookieValue(cookie!)}`, token: body.data.session.access_token, body };
}

describe("POST /api/v1/auth/login", () => {
  it.each(Object.keys(USERS) as DemoUser[])("signs %s in: the user, and an httpOnly session cookie", async (who) => {
    const res = await postLogin({ email: USERS[who].email, password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    expectIdentityHeaders(res);
    const body = await bodyOf<LoginBody>(res);
    expect(body.data.user).toEqual({
      id: USERS[who].id,
      email: USERS[who].email,
      role: USERS[who].role,
      customer_id: who === "acme" ? CUSTOMERS.acme : who === "bluesky" ? CUSTOMERS.bluesky : null,
    });
    const cookie = setCookie(res, "duly_session");
    expect(cookie).toMatch(/^duly_session=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/);
    expect(cookieValue(cookie!)).toBe(body.data.session.access_token);
  });

  it("marks the cookie Secure behind an https proxy", async () => {
    const res = await postLogin({ email: USERS.admin.email, password: DEMO_PASSWORD }, { "x-forwarded-proto": "https" });
    expect(setCookie(res, "duly_session")).toMatch(/; Secure/);
  });

  it("accepts the email in any case and with surrounding spaces", async () => {
    const res = await postLogin({ email: "  Manager@Duly.TEST ", password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    expect((await bodyOf<LoginBody>(res)).data.user.id).toBe(USERS.manager.id);
  });

  it("a wrong password is 401 invalid_credentials, with no cookie", async () => {
    const res = await postLogin({ email: USERS.admin.email, password: "not-the-password" });
    expect(res.status).toBe(401);
    expectIdentityHeaders(res);
    expect(await bodyOf<ErrorBody>(res)).toEqual({ error: { code: "invalid_credentials", message: "The email or password is incorrect" } });
    expect(setCookie(res, "duly_session")).toBeUndefined();
  });

  it("an unknown email gets exactly the same answer as a wrong password", async () => {
    const wrong = await bodyOf(await postLogin({ email: USERS.admin.email, password: "not-the-password" }));
    const res = await postLogin({ email: "nobody@duly.test", password: DEMO_PASSWORD });
    expect(res.status).toBe(401);
    expect(await bodyOf(res)).toEqual(wrong);
  });

  it("malformed JSON is 400 invalid_json", async () => {
    const res = await invoke(
      login,
      request("POST", "/api/v1/auth/login", { rawBody: '{"email": "admin@duly.test", ', headers: { "content-type": "application/json" } }),
    );
    expect(res.status).toBe(400);
    expectIdentityHeaders(res);
    expect((await bodyOf<ErrorBody>(res)).error.code).toBe("invalid_json");
  });

  it("missing fields are 422 validation_failed with the fields named", async () => {
    const res = await postLogin({});
    expect(res.status).toBe(422);
    const body = await bodyOf<ErrorBody>(res);
    expect(body.error.code).toBe("validation_failed");
    const paths = (body.error.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(["email", "password"]);
  });

  it.each([
    ["an empty body", undefined],
    ["an empty password", { email: USERS.admin.email, password: "" }],
    ["a malformed email", { email: "admin-at-duly", password: DEMO_PASSWORD }],
    ["a password that is not a string", { email: USERS.admin.email, password: 12345678 }],
    ["a JSON array", [USERS.admin.email, DEMO_PASSWORD]],
  ])("%s is 422", async (_label, body) => {
    const res = await (body === undefined ? invoke(login, request("POST", "/api/v1/auth/login")) : postLogin(body));
    expect(res.status).toBe(422);
    const err = (await bodyOf<ErrorBody>(res)).error;
    expect(err.code).toBe("validation_failed");
    expect(Array.isArray(err.details)).toBe(true);
  });
});

describe("GET /api/v1/auth/login", () => {
  it("is 401 (the post-deploy smoke check expects it)", async () => {
    const res = await invoke(loginGet, request("GET", "/api/v1/auth/login"));
    expect(res.status).toBe(401);
    expectIdentityHeaders(res);
    expect((await bodyOf<ErrorBody>(res)).error.code).toBe("unauthorized");
  });
});

describe("GET /api/v1/auth/me", () => {
  it("answers the user of a session cookie", async () => {
    const { cookie } = await signIn(USERS.chinese.email, DEMO_PASSWORD);
    const res = await getMe({ cookie });
    expect(res.status).toBe(200);
    expectIdentityHeaders(res);
    expect((await bodyOf<MeBody>(res)).data.user).toEqual({
      id: USERS.chinese.id,
      email: USERS.chinese.email,
      role: "chinese_staff",
      customer_id: null,
      display_name: "Wang Chinese Staff",
      locale: "zh",
      must_change_password: false,
    });
  });

  it("answers the user of an Authorization: Bearer token from the login body", async () => {
    const { token } = await signIn(USERS.acme.email, DEMO_PASSWORD);
    const res = await getMe({ authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect((await bodyOf<MeBody>(res)).data.user).toMatchObject({ id: USERS.acme.id, role: "customer", customer_id: CUSTOMERS.acme });
  });

  it("is 401 without a session", async () => {
    const res = await getMe();
    expect(res.status).toBe(401);
    expectIdentityHeaders(res);
    expect((await bodyOf<ErrorBody>(res)).error.code).toBe("unauthorized");
  });

  it("is 401 with a tampered token, in the cookie or as Bearer", async () => {
    const { token } = await signIn(USERS.acme.email, DEMO_PASSWORD);
    const [header, payload, signature] = token.split(".");
    // The customer makes themselves the admin: same signature, other subject.
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: USERS.admin.id })).toString("base64url");
    const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`;
    for (const bad of [`${header}.${forged}.${signature}`, `${header}.${payload}.${flipped}`, `${header}.${payload}.`, "garbage"]) {
      expect((await getMe({ cookie: `duly_session=${bad}` })).status).toBe(401);
      expect((await getMe({ authorization: `Bearer ${bad}` })).status).toBe(401);
    }
  });

  it("is 401 with a token signed by another key, with alg none, or expired", async () => {
    // The admin's standing test session (tests/helpers/sessions.ts): a live session row.
    const claims = { sub: USERS.admin.id, role: "authenticated", email: USERS.admin.email, session_id: testSessionId(USERS.admin.id) };
    const sign = (secret: string, exp: number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer("duly-erp")
        .setAudience("authenticated")
        .setSubject(USERS.admin.id)
        .setIssuedAt(exp - 3600)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const now = Math.floor(Date.now() / 1000);
    const secret = env().AUTH_JWT_SECRET!;
    // The right key works, so the refusals below are about what they claim to be about.
    expect((await getMe({ authorization: `Bearer ${await sign(secret, now + 600)}` })).status).toBe(200);
    const otherKey = await sign("another-secret-another-secret-another-secret", now + 600);
    const expired = await sign(secret, now - 60);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(
      JSON.stringify({ ...claims, iss: "duly-erp", aud: "authenticated", exp: now + 600 }),
    ).toString("base64url")}.`;
    for (const bad of [otherKey, expired, unsigned]) {
      expect((await getMe({ authorization: `Bearer ${bad}` })).status).toBe(401);
    }
  });

  it("is 401 for a valid token of a user that does not exist", async () => {
    const token = await new SignJWT({ sub: "00000000-0000-4000-8000-00000000dead", role: "authenticated" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("duly-erp")
      .setAudience("authenticated")
      .setSubject("00000000-0000-4000-8000-00000000dead")
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(env().AUTH_JWT_SECRET!));
    expect((await getMe({ authorization: `Bearer ${token}` })).status).toBe(401);
  });
});

describe("a deactivated user", () => {
  it("cannot log in, and their open session stops working", async () => {
    const user = await createUser(getDb().query, { role: "korean_team" });
    const { cookie, token } = await signIn(user.email, user.password);
    expect((await getMe({ cookie })).status).toBe(200);

    await call(fnAdminSetUserAccess, { p_user_id: user.id, p_active: false }, as("admin"));

    const res = await postLogin({ email: user.email, password: user.password });
    expect(res.status).toBe(401);
    expect(await bodyOf<ErrorBody>(res)).toEqual({ error: { code: "account_disabled", message: "This account has been deactivated" } });
    expect(setCookie(res, "duly_session")).toBeUndefined();
    expect((await getMe({ cookie })).status).toBe(401);
    expect((await getMe({ authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it("with a wrong password is told only that the credentials are wrong", async () => {
    const user = await createUser(getDb().query, { role: "manager", active: false });
    const res = await postLogin({ email: user.email, password: "not-the-password" });
    expect(res.status).toBe(401);
    expect((await bodyOf<ErrorBody>(res)).error.code).toBe("invalid_credentials");
  });
});

describe("POST /api/v1/auth/logout", () => {
  it("clears the session cookie", async () => {
    const { cookie } = await signIn(USERS.manager.email, DEMO_PASSWORD);
    const res = await invoke(logout, request("POST", "/api/v1/auth/logout", { headers: { cookie } }));
    expect(res.status).toBe(200);
    expectIdentityHeaders(res);
    expect(await bodyOf(res)).toEqual({ data: { signed_out: true, scope: "local" } });
    const cleared = setCookie(res, "duly_session");
    expect(cleared).toMatch(/^duly_session=;/);
    expect(cleared).toMatch(/; Max-Age=0/);
    expect(cleared).toMatch(/; Path=\//);
  });

  it("from the sign-out form, sends the browser to /login", async () => {
    const { cookie } = await signIn(USERS.acme.email, DEMO_PASSWORD);
    const res = await invoke(
      logout,
      request("POST", "/api/v1/auth/logout", { rawBody: "", headers: { cookie, "content-type": "application/x-www-form-urlencoded" } }),
    );
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get("location") ?? "", "http://localhost").pathname).toBe("/login");
    expect(setCookie(res, "duly_session")).toMatch(/; Max-Age=0/);
  });

  it("works without a session too", async () => {
    const res = await invoke(logout, request("POST", "/api/v1/auth/logout"));
    expect(res.status).toBe(200);
    expect(setCookie(res, "duly_session")).toMatch(/; Max-Age=0/);
  });
});
