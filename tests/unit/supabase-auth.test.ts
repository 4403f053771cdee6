import { SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { supabaseAuth } from "@/lib/auth/supabase-auth";
import type { CookieToSet } from "@/lib/auth/cookies";
import type { Credentials } from "@/lib/auth/types";
import { resetEnvCache } from "@/lib/env";
import { installNextWebSocket, startFakeSupabase, type FakeSupabase, type RecordedRequest } from "../helpers/fake-supabase";

installNextWebSocket();

// The Supabase auth port against a loopback fake GoTrue (/auth/v1): sign-in sets @supabase/ssr's
// cookies, claims are trusted only after GoTrue confirms the token (HS256 tokens make getClaims
// call GET /auth/v1/user), sessions refresh through the cookie, sign-out clears it.

const ANON_KEY = "anon-key-for-tests";
const SERVICE_KEY = "service-role-key-for-tests";
const GOTRUE_SECRET = new TextEncoder().encode("fake-gotrue-secret-fake-gotrue-secret");
const USER = { id: "a0000000-0000-4000-8000-000000000001", email: "admin@duly.test", password: "duly-demo-pass" };

let fake: FakeSupabase;
const saved = { ...process.env };
/** Tokens GoTrue still accepts (revoked ones are removed). */
const live = new Set<string>();
/** Refresh tokens GoTrue accepts, each once. */
const refreshTokens = new Set<string>();

async function accessToken(expiresIn: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ role: "authenticated", email: USER.email, session_id: "s1", aal: "aal1", app_metadata: { provider: "email" }, user_metadata: {} })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`${fake.url}/auth/v1`)
    .setAudience("authenticated")
    .setSubject(USER.id)
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .sign(GOTRUE_SECRET);
  live.add(token);
  return token;
}

const userBody = () => ({
  id: USER.id,
  aud: "authenticated",
  role: "authenticated",
  email: USER.email,
  app_metadata: { provider: "email" },
  user_metadata: {},
  created_at: "2024-01-01T00:00:00Z",
});

async function sessionBody(expiresIn: number) {
  const refresh = `refresh-${Math.random().toString(36).slice(2)}`;
  refreshTokens.add(refresh);
  return {
    access_token: await accessToken(expiresIn),
    token_type: "bearer",
    expires_in: expiresIn,
    expires_at: Math.floor(Date.now() / 1000) + expiresIn,
    refresh_token: refresh,
    user: userBody(),
  };
}

/** Lifetime of the next access token GoTrue issues (negative: already expired). */
let nextExpiresIn = 3600;

function bearerOf(req: RecordedRequest): string | null {
  const m = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""));
  return m ? m[1] : null;
}

function installGoTrue() {
  fake.on("POST", "/auth/v1/token", async (req) => {
    const body = req.json as Record<string, unknown>;
    if (req.query.get("grant_type") === "password") {
      if (body.email === USER.email && body.password === USER.password) return { body: await sessionBody(nextExpiresIn) };
      return { status: 400, body: { code: 400, error_code: "invalid_credentials", msg: "Invalid login credentials" } };
    }
    if (req.query.get("grant_type") === "refresh_token") {
      const token = String(body.refresh_token);
      if (!refreshTokens.delete(token)) return { status: 400, body: { code: 400, error_code: "refresh_token_not_found", msg: "Invalid Refresh Token" } };
      return { body: await sessionBody(3600) };
    }
    return { status: 400, body: { code: 400, error_code: "unsupported_grant_type", msg: "unsupported" } };
  });
  fake.on("GET", "/auth/v1/user", (req) => {
    const token = bearerOf(req);
    if (token && live.has(token)) return { body: userBody() };
    return { status: 403, body: { code: 403, error_code: "bad_jwt", msg: "invalid JWT: unable to parse or verify signature" } };
  });
  fake.on("POST", "/auth/v1/logout", (req) => {
    const token = bearerOf(req);
    if (token) live.delete(token);
    return { status: 204 };
  });
}

const noCreds: Credentials = { cookies: new Map(), authorization: null, secure: false };

function credsFrom(cookies: CookieToSet[]): Credentials {
  return { cookies: new Map(cookies.filter((c) => c.value !== "").map((c) => [c.name, c.value])), authorization: null, secure: false };
}

const requestsTo = (path: string) => fake.requests.filter((r) => r.path === path);

beforeAll(async () => {
  fake = await startFakeSupabase();
  process.env.NEXT_PUBLIC_SUPABASE_URL = fake.url;
  process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY = ANON_KEY;
  process.env.SUPABASE_SERVICE_ROLE_KEY = SERVICE_KEY;
  resetEnvCache();
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  resetEnvCache();
  await fake.close();
});

beforeEach(() => {
  fake.reset();
  installGoTrue();
  nextExpiresIn = 3600;
});

describe("supabaseAuth.signIn", () => {
  it("posts the password grant with the anon key and returns the session and @supabase/ssr cookies", async () => {
    const result = await supabaseAuth.signIn(USER.email, USER.password, true);
    expect(result).not.toBeNull();

    const [tokenReq] = requestsTo("/auth/v1/token");
    expect(tokenReq.method).toBe("POST");
    expect(tokenReq.query.get("grant_type")).toBe("password");
    expect(tokenReq.json).toMatchObject({ email: USER.email, password: USER.password });
    expect(tokenReq.headers.apikey).toBe(ANON_KEY);
    expect(JSON.stringify(fake.requests.map((r) => r.headers))).not.toContain(SERVICE_KEY);

    // getClaims on an HS256 token asks GoTrue to confirm it.
    const [userReq] = requestsTo("/auth/v1/user");
    expect(bearerOf(userReq)).toBe(result!.session.accessToken);

    expect(result!.session).toMatchObject({ userId: USER.id, email: USER.email });
    expect(result!.session.claims).toMatchObject({ sub: USER.id, role: "authenticated", email: USER.email });
    expect(result!.session.expiresAt).toBeGreaterThan(Date.now() / 1000);

    const cookie = result!.cookies.find((c) => c.name.startsWith("sb-"));
    expect(cookie, JSON.stringify(result!.cookies.map((c) => c.name))).toBeDefined();
    expect(cookie!.name).toMatch(/^sb-.+-auth-token(\.\d+)?$/);
    expect(cookie!.value).toMatch(/^base64-/);
    const stored = JSON.parse(Buffer.from(cookie!.value.slice("base64-".length), "base64url").toString("utf8"));
    expect(stored.access_token).toBe(result!.session.accessToken);
    // Only the server reads the session: no script in the page may (an XSS could steal it).
    expect(cookie!.options).toMatchObject({ path: "/", secure: true, sameSite: "lax", httpOnly: true });
  });

  it("returns null and sets no cookie for a wrong password", async () => {
    await expect(supabaseAuth.signIn(USER.email, "wrong-password", false)).resolves.toBeNull();
    expect(requestsTo("/auth/v1/token")).toHaveLength(1);
    expect(requestsTo("/auth/v1/user")).toHaveLength(0);
  });

  it("returns null when GoTrue does not confirm the issued token", async () => {
    fake.on("GET", "/auth/v1/user", { status: 403, body: { code: 403, error_code: "bad_jwt", msg: "invalid JWT" } });
    await expect(supabaseAuth.signIn(USER.email, USER.password, false)).resolves.toBeNull();
  });

  it("returns null when GoTrue is down", async () => {
    fake.on("POST", "/auth/v1/token", { status: 503, body: { message: "unavailable" } });
    await expect(supabaseAuth.signIn(USER.email, USER.password, false)).resolves.toBeNull();
  });
});

describe("supabaseAuth.verify", () => {
  it("accepts the cookies from signIn and returns the same user and token", async () => {
    const signedIn = (await supabaseAuth.signIn(USER.email, USER.password, false))!;
    fake.requests.length = 0;
    const session = await supabaseAuth.verify(credsFrom(signedIn.cookies));
    expect(session).toMatchObject({ userId: USER.id, email: USER.email, accessToken: signedIn.session.accessToken });
    expect(requestsTo("/auth/v1/user").map(bearerOf)).toContain(signedIn.session.accessToken);
  });

  it("accepts a Bearer access token that GoTrue confirms", async () => {
    const token = await accessToken(3600);
    const session = await supabaseAuth.verify({ ...noCreds, authorization: `Bearer ${token}` });
    expect(session).toMatchObject({ userId: USER.id, accessToken: token });
  });

  it("refuses a revoked Bearer token, an expired one, a forged one and garbage", async () => {
    const revoked = await accessToken(3600);
    live.delete(revoked);
    const expired = await accessToken(-60);
    const forged = await new SignJWT({ role: "authenticated" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(USER.id)
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not-the-gotrue-secret-not-the-gotrue-secret"));
    for (const token of [revoked, expired, forged, "not-a-jwt"]) {
      await expect(supabaseAuth.verify({ ...noCreds, authorization: `Bearer ${token}` }), token).resolves.toBeNull();
    }
  });

  it("returns null without credentials, without calling GoTrue", async () => {
    await expect(supabaseAuth.verify(noCreds)).resolves.toBeNull();
    expect(fake.requests).toHaveLength(0);
  });
});

describe("supabaseAuth.refresh and signOut", () => {
  it("refresh leaves a fresh session alone", async () => {
    const signedIn = (await supabaseAuth.signIn(USER.email, USER.password, false))!;
    fake.requests.length = 0;
    await expect(supabaseAuth.refresh(credsFrom(signedIn.cookies))).resolves.toEqual([]);
    expect(requestsTo("/auth/v1/token")).toHaveLength(0);
  });

  it("refresh exchanges the refresh token of an expired session and sets new cookies", async () => {
    nextExpiresIn = 5; // inside auth-js's expiry margin: treated as expired
    const signedIn = (await supabaseAuth.signIn(USER.email, USER.password, false))!;
    const oldStored = signedIn.cookies.find((c) => c.name.startsWith("sb-"))!;
    fake.requests.length = 0;
    const cookies = await supabaseAuth.refresh(credsFrom(signedIn.cookies));
    const [refreshReq] = requestsTo("/auth/v1/token");
    expect(refreshReq?.query.get("grant_type")).toBe("refresh_token");
    const renewed = cookies.find((c) => c.name === oldStored.name);
    expect(renewed?.value).toBeTruthy();
    expect(renewed?.value).not.toBe(oldStored.value);
    // The renewed cookie is a valid session.
    const session = await supabaseAuth.verify(credsFrom(cookies));
    expect(session?.userId).toBe(USER.id);
    expect(session?.accessToken).not.toBe(signedIn.session.accessToken);
  });

  it("signOut revokes the session at GoTrue and clears the cookie", async () => {
    const signedIn = (await supabaseAuth.signIn(USER.email, USER.password, false))!;
    fake.requests.length = 0;
    const cookies = await supabaseAuth.signOut(credsFrom(signedIn.cookies));
    const [logout] = requestsTo("/auth/v1/logout");
    expect(logout?.method).toBe("POST");
    expect(logout?.query.get("scope")).toBe("local");
    expect(bearerOf(logout)).toBe(signedIn.session.accessToken);
    const cleared = cookies.filter((c) => c.name.startsWith("sb-"));
    expect(cleared.length).toBeGreaterThan(0);
    for (const c of cleared) {
      expect(c.value).toBe("");
      expect(c.options.maxAge).toBe(0);
    }
    // The old access token no longer verifies.
    await expect(supabaseAuth.verify({ ...noCreds, authorization: `Bearer ${signedIn.session.accessToken}` })).resolves.toBeNull();
  });

  it("signOut with scope global asks GoTrue to end every session of the user", async () => {
    const signedIn = (await supabaseAuth.signIn(USER.email, USER.password, false))!;
    fake.requests.length = 0;
    const cookies = await supabaseAuth.signOut(credsFrom(signedIn.cookies), "global");
    const logouts = requestsTo("/auth/v1/logout");
    expect(logouts).toHaveLength(1);
    expect(logouts[0].query.get("scope")).toBe("global");
    expect(bearerOf(logouts[0])).toBe(signedIn.session.accessToken);
    expect(cookies.filter((c) => c.name.startsWith("sb-")).every((c) => c.value === "" && c.options.maxAge === 0)).toBe(true);
  });

  it("signOut of a Bearer client (no cookie) sends its token to GoTrue's /logout, local or global", async () => {
    for (const scope of ["local", "global"] as const) {
      const signedIn = (await supabaseAuth.signIn(USER.email, USER.password, false))!;
      fake.requests.length = 0;
      await supabaseAuth.signOut({ ...noCreds, authorization: `Bearer ${signedIn.session.accessToken}` }, scope);
      const [logout] = requestsTo("/auth/v1/logout");
      expect(logout?.method).toBe("POST");
      expect(logout.query.get("scope")).toBe(scope);
      expect(bearerOf(logout)).toBe(signedIn.session.accessToken);
      expect(logout.headers.apikey).toBe(ANON_KEY);
      await expect(supabaseAuth.verify({ ...noCreds, authorization: `Bearer ${signedIn.session.accessToken}` })).resolves.toBeNull();
    }
  });
});
