import "server-only";
import { databaseMode } from "@/lib/env";
import { clientAddress } from "@/lib/http/client-address";
import { AppError } from "@/lib/errors";
import { getMyProfile, getMyProfileCounting, type RequestCount } from "@/lib/data/profiles";
import type { RateLimitResult } from "@/lib/data/rate-limits";
import type { Caller } from "@/lib/db/types";
import type { MyProfile } from "@/lib/data/profiles";
import type { Profile } from "@/lib/schemas/profile";
import { embeddedAuth } from "./embedded-auth";
import { personalToken, personalTokenSession } from "./personal-tokens";
import { credentialsFrom } from "./credentials";
import { supabaseAuth } from "./supabase-auth";
import type { AuthPort, Credentials, Session } from "./types";

export function authPort(): AuthPort {
  return databaseMode() === "supabase" ? supabaseAuth : embeddedAuth;
}

export { credentialsFrom };

/** credentialsFrom, plus the client's address when the request carries a personal access token (recorded as its last use). */
export function requestCredentials(headers: Headers, url: string): Credentials {
  const creds = credentialsFrom(headers, url);
  return personalToken(creds) ? { ...creds, address: clientAddress(headers) } : creds;
}

/** The signed-in user: who they are, what they may do, and how to call the database as them. */
export type Actor = {
  id: string;
  email: string;
  role: Profile["role"];
  customerId: string | null;
  displayName: string;
  locale: Profile["locale"];
  /**
   * The user must set a new password before anything else: an admin set a temporary one, or the
   * session was opened by a password recovery link (Supabase). The API answers 403
   * password_change_required to everything but changing it, /me and signing out; pages send the
   * user to /account/password.
   */
  mustChangePassword: boolean;
  /** Opened by Supabase Auth's recovery link: the new password is set without the current one. */
  recovery: boolean;
  /** Calls as the user themselves: RLS applies. */
  caller: Caller;
  session: Session;
  /** Set when authenticate() was asked to count the request: its hit in the user's bucket, and in its address's. */
  requestHit?: { rate: RateLimitResult | null; address: RateLimitResult | null; cost: number };
};

export type { RequestCount };

/**
 * Whether Supabase Auth opened this session from a password recovery link (its verified `amr`
 * claim). Such a session proves the mailbox, not the password: it may only set a new password.
 */
export function isRecoverySession(session: Session): boolean {
  return !session.pat && (session.claims.amr ?? []).some((m) => m?.method === "recovery");
}

export function callerFor(session: Session): Caller {
  return { role: "authenticated", userId: session.userId, claims: session.claims, accessToken: session.accessToken };
}

/** Whether the actor's session is still live and their profile active (long-lived streams ask between reads). */
export async function stillSignedIn(actor: Actor): Promise<boolean> {
  const profile = await getMyProfile(actor.caller).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "unauthorized") return null;
    throw error;
  });
  return profile?.active === true;
}

/**
 * Verifies the session and loads the profile. Null when there is no valid session; a
 * deactivated or profile-less user is treated as signed out. With `count`, the same database call
 * also counts the request in the user's read or write rate limit (one transaction, not two).
 */
export async function authenticate(creds: Credentials, count?: RequestCount): Promise<Actor | null> {
  const pat = personalToken(creds);
  const session = pat ? await personalTokenSession(pat, creds.address ?? null) : await authPort().verify(creds);
  if (!session) return null;
  const caller = callerFor(session);
  let profile: MyProfile | null;
  let requestHit: Actor["requestHit"];
  try {
    if (count) {
      const r = await getMyProfileCounting(caller, count);
      profile = r.profile;
      requestHit = { rate: r.rate, address: r.address_rate, cost: count.cost };
    } else {
      profile = await getMyProfile(caller);
    }
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthorized") return null;
    throw error;
  }
  if (!profile || !profile.active) return null;
  const recovery = isRecoverySession(session);
  return {
    id: profile.id,
    email: profile.email,
    role: profile.role,
    customerId: profile.customer_id,
    displayName: profile.display_name,
    locale: profile.locale,
    mustChangePassword: profile.must_change_password || recovery,
    recovery,
    caller,
    session,
    requestHit,
  };
}
