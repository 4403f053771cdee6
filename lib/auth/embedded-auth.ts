import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getTransport, rpc } from "@/lib/db";
import { service } from "@/lib/db/types";
import { AUDIENCE_CLAIM, issue, refreshSession, sessionCookie, signOutCookies, tokenOf, verifyToken } from "./embedded-session";
import type { AuthPort } from "./types";

// Embedded and self-hosted Postgres: the password is checked in SQL (crypt(), in the Supabase
// shim), then the session is our own signed JWT (embedded-session.ts).

const signInResult = z
  .object({
    id: z.uuid(),
    email: z.string(),
    app_metadata: z.record(z.string(), z.unknown()),
    user_metadata: z.record(z.string(), z.unknown()),
  })
  .nullable();

export const embeddedAuth: AuthPort = {
  async signIn(email, password, secure) {
    const transport = await getTransport();
    const raw = await rpc(transport, "auth.sign_in_with_password", { p_email: email, p_password: password }, service);
    const user = signInResult.parse(raw);
    if (!user) return null;
    const session = await issue({
      sub: user.id,
      role: "authenticated",
      aud: AUDIENCE_CLAIM,
      email: user.email,
      session_id: randomUUID(),
      app_metadata: user.app_metadata,
      user_metadata: user.user_metadata,
    });
    return { session, cookies: [sessionCookie(session, secure)] };
  },

  async signOut(creds) {
    return signOutCookies(creds);
  },

  async verify(creds) {
    const token = tokenOf(creds);
    return token ? verifyToken(token) : null;
  },

  refresh: refreshSession,
};
