import { SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseCookies } from "@/lib/auth/cookies";
import {
  issue,
  dueForRefresh,
  SESSION_COOKIE,
  sessionCookie,
  signOutCookies,
  tokenOf,
  verifyToken,
} from "@/lib/auth/embedded-session";
import type { Credentials } from "@/lib/auth/types";
import { env } from "@/lib/env";

// The embedded session: an HS256 JWT with Supabase's claims (AUTH_JWT_SECRET comes from the
// unit project's env in vitest.config.mts).

const USER_ID = "a0000000-0000-4000-8000-000000000001";
const secret = () => new TextEncoder().encode(env().AUTH_JWT_SECRET!);
const claims = { sub: USER_ID, role: "authenticated" as const, email: "admin@duly.test", aud: "authenticated", app_metadata: { provider: "email" } };

/** A token signed as the app would, with every part overridable. */
async function sign(opts: {
  payload?: Record<string, unknown>;
  key?: Uint8Array;
  iss?: string;
  aud?: string;
  iat?: number;
  exp?: number | null;
}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ role: "authenticated", email: "admin@duly.test", ...opts.payload })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(opts.iss ?? "duly-erp")
    .setAudience(opts.aud ?? "authenticated")
    .setSubject(USER_ID)
    .setIssuedAt(opts.iat ?? now);
  if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? now + 3600);
  return jwt.sign(opts.key ?? secret());
}

const creds = (cookie?: string, authorization: string | null = null): Credentials => ({
  cookies: new Map(cookie === undefined ? [] : [[SESSION_COOKIE, cookie]]),
  authorization,
  secure: false,
});

afterEach(() => {
  vi.useRealTimers();
});

describe("issue and verifyToken", () => {
  it("round-trips: the verified session has the issued user, claims and expiry", async () => {
    const issued = await issue(claims);
    const ttl = env().SESSION_TTL_SECONDS;
    expect(issued.userId).toBe(USER_ID);
    expect(issued.email).toBe("admin@duly.test");
    expect(issued.expiresAt - issued.claims.iat!).toBe(ttl);

    const verified = await verifyToken(issued.accessToken);
    expect(verified).not.toBeNull();
    expect(verified!.userId).toBe(USER_ID);
    expect(verified!.email).toBe("admin@duly.test");
    expect(verified!.accessToken).toBe(issued.accessToken);
    expect(verified!.expiresAt).toBe(issued.expiresAt);
    expect(verified!.claims).toMatchObject({ ...claims, iss: "duly-erp", exp: issued.expiresAt, iat: issued.claims.iat });
  });

  it("a session without an email has email null", async () => {
    const { email, ...noEmail } = claims;
    void email;
    const verified = await verifyToken((await issue(noEmail)).accessToken);
    expect(verified?.email).toBeNull();
  });

  it("refuses a tampered token", async () => {
    const { accessToken } = await issue(claims);
    const [h, p, s] = accessToken.split(".");
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...payload, sub: "a0000000-0000-4000-8000-000000000099" })).toString("base64url");
    await expect(verifyToken(`${h}.${forgedPayload}.${s}`)).resolves.toBeNull();
    const flipped = s.slice(0, -2) + (s.at(-2) === "A" ? "B" : "A") + s.at(-1);
    await expect(verifyToken(`${h}.${p}.${flipped}`)).resolves.toBeNull();
  });

  it("refuses a token signed with another secret", async () => {
    const other = new TextEncoder().encode("another-secret-another-secret-another-secret");
    await expect(verifyToken(await sign({ key: other }))).resolves.toBeNull();
  });

  it("accepts a token signed as the app signs (control for the cases below)", async () => {
    await expect(verifyToken(await sign({}))).resolves.not.toBeNull();
  });

  it("a token that verified stops verifying once it expires (the verified-token cache keeps no expired session)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await sign({ iat: now, exp: now + 30 });
    await expect(verifyToken(token)).resolves.not.toBeNull();
    vi.useFakeTimers({ now: (now + 31) * 1000 });
    await expect(verifyToken(token)).resolves.toBeNull();
    vi.useRealTimers();
    // A tampered copy of a cached token is checked on its own, not matched to the cached one.
    const [h, p, sig] = token.split(".");
    const flipped = sig.slice(0, -2) + (sig.at(-2) === "A" ? "B" : "A") + sig.at(-1);
    await expect(verifyToken(`${h}.${p}.${flipped}`)).resolves.toBeNull();
  });

  it("refuses an expired token", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(verifyToken(await sign({ iat: now - 7200, exp: now - 60 }))).resolves.toBeNull();
  });

  it("refuses a token without an expiry", async () => {
    await expect(verifyToken(await sign({ exp: null }))).resolves.toBeNull();
  });

  it("refuses a token whose role is not authenticated (anon, service_role)", async () => {
    await expect(verifyToken(await sign({ payload: { role: "anon" } }))).resolves.toBeNull();
    await expect(verifyToken(await sign({ payload: { role: "service_role" } }))).resolves.toBeNull();
  });

  it("refuses another issuer or audience (e.g. a Supabase token)", async () => {
    await expect(verifyToken(await sign({ iss: "https://abcd.supabase.co/auth/v1" }))).resolves.toBeNull();
    await expect(verifyToken(await sign({ aud: "anon" }))).resolves.toBeNull();
  });

  it("refuses alg none and other algorithms", async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const body = b64({ sub: USER_ID, role: "authenticated", iss: "duly-erp", aud: "authenticated", iat: now, exp: now + 3600 });
    await expect(verifyToken(`${b64({ alg: "none", typ: "JWT" })}.${body}.`)).resolves.toBeNull();
    const hs512 = await new SignJWT({ role: "authenticated" })
      .setProtectedHeader({ alg: "HS512" })
      .setIssuer("duly-erp")
      .setAudience("authenticated")
      .setSubject(USER_ID)
      .setExpirationTime("1h")
      .sign(secret());
    await expect(verifyToken(hs512)).resolves.toBeNull();
  });

  it("refuses garbage", async () => {
    for (const junk of ["", "x", "a.b.c", "Bearer abc"]) await expect(verifyToken(junk), junk).resolves.toBeNull();
  });
});

describe("cookies and tokens", () => {
  it("sessionCookie is httpOnly, lax, path /, lives as long as the token, secure when asked", async () => {
    const session = await issue(claims);
    const c = sessionCookie(session, true);
    expect(c.name).toBe(SESSION_COOKIE);
    expect(c.value).toBe(session.accessToken);
    expect(c.options).toMatchObject({ httpOnly: true, secure: true, sameSite: "lax", path: "/" });
    expect(c.options.maxAge).toBeGreaterThan(env().SESSION_TTL_SECONDS - 5);
    expect(c.options.maxAge).toBeLessThanOrEqual(env().SESSION_TTL_SECONDS);
    expect(sessionCookie(session, false).options.secure).toBe(false);
  });

  it("tokenOf prefers a Bearer header over the cookie", () => {
    expect(tokenOf(creds("cookie-token", "Bearer header-token"))).toBe("header-token");
    expect(tokenOf(creds("cookie-token"))).toBe("cookie-token");
    expect(tokenOf(creds(undefined, "Basic abc"))).toBeNull();
    expect(tokenOf(creds())).toBeNull();
  });

  it("signOutCookies clears the session cookie", () => {
    const [c] = signOutCookies({ ...creds("t"), secure: true });
    expect(c).toMatchObject({ name: SESSION_COOKIE, value: "", options: { maxAge: 0, httpOnly: true, secure: true, path: "/" } });
  });

  it("a cookie-parsed token verifies (survives the Cookie header round trip)", async () => {
    const session = await issue(claims);
    const parsed = parseCookies(`other=1; ${SESSION_COOKIE}=${session.accessToken}`);
    await expect(verifyToken(parsed.get(SESSION_COOKIE)!)).resolves.toMatchObject({ userId: USER_ID });
  });
});

// The database half (a revoked session gets no new cookie, the same session_id, not_after) is in
// tests/contract/sessions.contract.ts.
describe("dueForRefresh", () => {
  it("returns nothing for a fresh session", async () => {
    const { accessToken } = await issue(claims);
    await expect(dueForRefresh(creds(accessToken))).resolves.toBeNull();
  });

  it("returns the cookie's session once it is past half its life", async () => {
    const ttl = env().SESSION_TTL_SECONDS;
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2026-03-01T00:00:00Z");
    vi.setSystemTime(start);
    const first = await issue(claims);

    vi.setSystemTime(new Date(start.getTime() + (ttl / 2 - 60) * 1000));
    await expect(dueForRefresh(creds(first.accessToken))).resolves.toBeNull();

    vi.setSystemTime(new Date(start.getTime() + (ttl / 2 + 60) * 1000));
    await expect(dueForRefresh(creds(first.accessToken))).resolves.toMatchObject({ userId: USER_ID, accessToken: first.accessToken });
  });

  it("does not revive an expired session", async () => {
    const ttl = env().SESSION_TTL_SECONDS;
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2026-03-01T00:00:00Z");
    vi.setSystemTime(start);
    const { accessToken } = await issue(claims);
    vi.setSystemTime(new Date(start.getTime() + (ttl + 60) * 1000));
    await expect(dueForRefresh(creds(accessToken))).resolves.toBeNull();
  });

  it("does not slide Bearer tokens, and ignores missing or invalid cookies", async () => {
    const now = Math.floor(Date.now() / 1000);
    const ttl = env().SESSION_TTL_SECONDS;
    const old = await sign({ iat: now - ttl + 60, exp: now + 60 });
    await expect(dueForRefresh(creds(undefined, `Bearer ${old}`))).resolves.toBeNull();
    await expect(dueForRefresh(creds())).resolves.toBeNull();
    await expect(dueForRefresh(creds("garbage"))).resolves.toBeNull();
    // The same old token in the cookie is due.
    await expect(dueForRefresh(creds(old))).resolves.not.toBeNull();
  });
});

describe("issue with an absolute limit", () => {
  it("never issues a token past the session's not_after", async () => {
    const now = Math.floor(Date.now() / 1000);
    const capped = await issue(claims, now + 600);
    expect(capped.expiresAt).toBe(now + 600);
    expect(sessionCookie(capped, false).options.maxAge).toBeLessThanOrEqual(600);
    const uncapped = await issue(claims, now + 10 * env().SESSION_TTL_SECONDS);
    expect(uncapped.expiresAt).toBe(now + env().SESSION_TTL_SECONDS);
  });
});
