import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { jwtVerify, SignJWT } from "jose";
import { env } from "@/lib/env";
import type { JwtClaims } from "@/lib/db/types";
import type { CookieToSet } from "./cookies";
import { bearerToken, type Credentials, type Session } from "./types";

// Embedded and self-hosted sessions: an HS256 JWT with Supabase's claims, in an httpOnly cookie
// or sent by API clients as `Authorization: Bearer`. The token's session_id names a row in
// auth.sessions that every request checks (public.me); this file only signs and verifies tokens,
// and the database side is in embedded-auth.ts.

export const SESSION_COOKIE = "duly_session";
const ISSUER = "duly-erp";
const AUDIENCE = "authenticated";

export const AUDIENCE_CLAIM = AUDIENCE;

let secretPromise: Promise<Uint8Array> | undefined;

/** AUTH_JWT_SECRET, or a random secret kept in the data folder so restarts keep sessions. */
export function sessionSecret(): Promise<Uint8Array> {
  secretPromise ??= (async () => {
    const configured = env().AUTH_JWT_SECRET;
    if (configured) return new TextEncoder().encode(configured);
    const file = path.resolve(env().DATA_DIR, "jwt-secret");
    try {
      return new TextEncoder().encode((await readFile(file, "utf8")).trim());
    } catch {
      const generated = randomBytes(48).toString("base64url");
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, generated, { flag: "wx" }).catch(() => undefined);
      await chmod(file, 0o600).catch(() => undefined);
      return new TextEncoder().encode((await readFile(file, "utf8")).trim());
    }
  })();
  return secretPromise;
}

/** A token for `claims`, valid for SESSION_TTL_SECONDS but never past `notAfter` (epoch seconds). */
export async function issue(claims: Omit<JwtClaims, "exp" | "iat">, notAfter?: number): Promise<Session> {
  const now = Math.floor(Date.now() / 1000);
  const ttl = Math.min(env().SESSION_TTL_SECONDS, (notAfter ?? Infinity) - now);
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .sign(await sessionSecret());
  return {
    userId: claims.sub,
    email: claims.email ?? null,
    claims: { ...claims, iat: now, exp: now + ttl },
    accessToken: token,
    expiresAt: now + ttl,
  };
}

export function sessionCookie(session: Session, secure: boolean): CookieToSet {
  return {
    name: SESSION_COOKIE,
    value: session.accessToken,
    options: { httpOnly: true, secure, sameSite: "lax", path: "/", maxAge: session.expiresAt - Math.floor(Date.now() / 1000) },
  };
}

// Sessions whose token has verified, by token: the HMAC check is a noticeable share of an API
// request's CPU (npm run bench), and a token verifies the same way until it expires. Only tokens
// that verified are kept, and each only until its own expiry; the oldest go first past the cap.
// This caches the signature only: whether the session is still live is asked of the database on
// every request (public.me), so a signed-out or revoked token stops working at once.
const verified = new Map<string, Session>();
const VERIFIED_MAX = 5000;

export async function verifyToken(token: string): Promise<Session | null> {
  const known = verified.get(token);
  if (known) {
    if (known.expiresAt > Math.floor(Date.now() / 1000)) return known;
    verified.delete(token);
    return null;
  }
  const session = await verifySignature(token);
  if (session) {
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
    verified.set(token, session);
  }
  return session;
}

async function verifySignature(token: string): Promise<Session | null> {
  try {
    const { payload } = await jwtVerify(token, await sessionSecret(), { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || payload.role !== "authenticated" || typeof payload.exp !== "number") return null;
    return {
      userId: payload.sub,
      email: typeof payload.email === "string" ? payload.email : null,
      claims: payload as unknown as JwtClaims,
      accessToken: token,
      expiresAt: payload.exp,
    };
  } catch {
    return null;
  }
}

export function tokenOf(creds: Credentials): string | null {
  return bearerToken(creds.authorization) ?? creds.cookies.get(SESSION_COOKIE) ?? null;
}

export function signOutCookies(creds: Credentials): CookieToSet[] {
  return [{ name: SESSION_COOKIE, value: "", options: { httpOnly: true, secure: creds.secure, sameSite: "lax", path: "/", maxAge: 0 } }];
}

/**
 * The cookie session to slide (sliding sessions): once it is past half its life. Only cookie
 * sessions slide; a Bearer token belongs to its client. The caller asks the database whether the
 * session is still live before it issues anything (embedded-auth.ts).
 */
export async function dueForRefresh(creds: Credentials): Promise<Session | null> {
  const token = creds.cookies.get(SESSION_COOKIE);
  if (!token) return null;
  const current = await verifyToken(token);
  if (!current) return null;
  const remaining = current.expiresAt - Math.floor(Date.now() / 1000);
  return remaining > env().SESSION_TTL_SECONDS / 2 ? null : current;
}
