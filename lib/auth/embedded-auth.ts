import { z } from "zod";
import { call, defineFunction } from "@/lib/db";
import { service } from "@/lib/db/types";
import { env } from "@/lib/env";
import { AUDIENCE_CLAIM, dueForRefresh, issue, sessionCookie, signOutCookies, tokenOf, verifyToken } from "./embedded-session";
import type { AuthPort } from "./types";

// Embedded and self-hosted Postgres: the password is checked in SQL (crypt(), in the Supabase
// shim), then the session is a row in auth.sessions (as Supabase Auth keeps it) and our own
// signed JWT naming it (embedded-session.ts).

const fnSignInWithPassword = defineFunction(
  "auth.sign_in_with_password",
  z.object({ p_email: z.string(), p_password: z.string() }),
  z
    .object({
      id: z.uuid(),
      email: z.string(),
      app_metadata: z.record(z.string(), z.unknown()),
      user_metadata: z.record(z.string(), z.unknown()),
    })
    .nullable(),
);

/** A new row in auth.sessions: its id (the token's session_id) and absolute limit (epoch s). */
const fnCreateSession = defineFunction(
  "auth.create_session",
  z.object({ p_user_id: z.uuid(), p_max_age_seconds: z.number().int() }),
  z.object({ id: z.uuid(), not_after: z.number() }),
);

/** Touches a live session and gives its limit; null when it is gone or past not_after. */
const fnRefreshSession = defineFunction(
  "auth.refresh_session",
  z.object({ p_session_id: z.uuid(), p_user_id: z.uuid() }),
  z.object({ not_after: z.number() }).nullable(),
);

/** GoTrue's /logout for the caller's own token: local, others or global. */
const fnSignOut = defineFunction("auth.sign_out", z.object({ p_scope: z.enum(["local", "others", "global"]) }), z.number().int());

export const embeddedAuth: AuthPort = {
  async signIn(email, password, secure) {
    const user = await call(fnSignInWithPassword, { p_email: email, p_password: password }, service);
    if (!user) return null;
    const row = await call(fnCreateSession, { p_user_id: user.id, p_max_age_seconds: env().SESSION_MAX_AGE_SECONDS }, service);
    const session = await issue(
      {
        sub: user.id,
        role: "authenticated",
        aud: AUDIENCE_CLAIM,
        email: user.email,
        session_id: row.id,
        app_metadata: user.app_metadata,
        user_metadata: user.user_metadata,
      },
      row.not_after,
    );
    return { session, cookies: [sessionCookie(session, secure)] };
  },

  async signOut(creds, scope = "local") {
    const token = tokenOf(creds);
    const session = token ? await verifyToken(token) : null;
    // With the user's own token, as GoTrue's /logout: a token whose session is already gone ends nothing.
    if (session) {
      await call(fnSignOut, { p_scope: scope }, { role: "authenticated", userId: session.userId, claims: session.claims, accessToken: session.accessToken });
    }
    return signOutCookies(creds);
  },

  async verify(creds) {
    const token = tokenOf(creds);
    return token ? verifyToken(token) : null;
  },

  /** A new token for the same session once the cookie is past half its life, only while the session is live. */
  async refresh(creds) {
    const current = await dueForRefresh(creds);
    if (!current) return [];
    const sessionId = z.uuid().safeParse(current.claims.session_id);
    const live = sessionId.success ? await call(fnRefreshSession, { p_session_id: sessionId.data, p_user_id: current.userId }, service) : null;
    // Signed out, revoked or past its limit: the browser drops the cookie instead of sliding it.
    if (!live) return signOutCookies(creds);
    const { exp, iat, ...claims } = current.claims;
    void exp;
    void iat;
    const next = await issue(claims, live.not_after);
    return next.expiresAt > current.expiresAt ? [sessionCookie(next, creds.secure)] : [];
  },
};
