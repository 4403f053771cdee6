import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { call, defineFunction, service } from "@/lib/db";

// Passwords (supabase/migrations/…_passwords.sql): every function trusts a check the server made
// (the current password, the auth service's answer), so the server calls them with the service
// role and the actor's id. p_password is null on Supabase, where the Auth admin API sets it.

const userRef = z.object({ user_id: z.uuid(), email: z.string().optional() }).loose();

const fnChange = defineFunction("password_change", z.object({ p_password: z.string().nullable(), p_actor: z.uuid() }), userRef);
const fnSetTemporary = defineFunction(
  "password_set_temporary",
  z.object({ p_user_id: z.uuid(), p_password: z.string().nullable(), p_actor: z.uuid() }),
  userRef,
);
const fnIssue = defineFunction(
  "password_reset_issue",
  z.object({ p_user_id: z.uuid(), p_token_hash: z.string().nullable(), p_ttl_seconds: z.number().int(), p_actor: z.uuid() }),
  z.object({ user_id: z.uuid(), email: z.string(), expires_at: z.string().nullable() }),
);
const fnRedeem = defineFunction("password_reset_redeem", z.object({ p_token_hash: z.string(), p_password: z.string() }), z.object({ user_id: z.uuid(), email: z.string() }));
const fnState = defineFunction("password_state", z.object({ p_user_id: z.uuid() }), z.object({ must_change: z.boolean() }));

/** How long a reset link works: long enough to hand it over, short enough to be worthless later. */
export const RESET_LINK_TTL_SECONDS = 60 * 60;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function recordPasswordChange(userId: string, password: string | null) {
  return call(fnChange, { p_password: password, p_actor: userId }, service);
}

export function setTemporaryPassword(adminId: string, userId: string, password: string | null) {
  return call(fnSetTemporary, { p_user_id: userId, p_password: password, p_actor: adminId }, service);
}

/** A one-time reset token (32 random bytes, base64url) and its record; null token: only the event (Supabase mails its own). */
export async function issueResetLink(adminId: string, userId: string, withToken: boolean) {
  const token = withToken ? randomBytes(32).toString("base64url") : null;
  const row = await call(
    fnIssue,
    { p_user_id: userId, p_token_hash: token ? hashToken(token) : null, p_ttl_seconds: RESET_LINK_TTL_SECONDS, p_actor: adminId },
    service,
  );
  return { ...row, token };
}

export function redeemResetLink(token: string, password: string) {
  return call(fnRedeem, { p_token_hash: hashToken(token), p_password: password }, service);
}

export async function mustChangePassword(userId: string): Promise<boolean> {
  return (await call(fnState, { p_user_id: userId }, service)).must_change;
}
