import type { Actor } from "@/lib/auth";
import type { Caller } from "@/lib/db/types";
import type { Locale } from "@/lib/i18n/locales";
import { CUSTOMERS, USERS, type DemoUser } from "./demo";
import { testSessionId } from "./sessions";

/** The caller a signed-in demo user's requests run as (claims as Supabase would issue them, in their standing test session). */
export function as(user: DemoUser): Caller {
  const u = USERS[user];
  return {
    role: "authenticated",
    userId: u.id,
    claims: { sub: u.id, role: "authenticated", aud: "authenticated", email: u.email, session_id: testSessionId(u.id) },
  };
}

/** A demo user as the pages see them (lib/auth/page.ts), for code that takes an Actor. */
export function actorOf(user: DemoUser, locale: Locale = "en"): Actor {
  const u = USERS[user];
  const caller = as(user);
  const customerId = user === "acme" || user === "bluesky" ? CUSTOMERS[user] : null;
  return {
    id: u.id,
    email: u.email,
    role: u.role,
    customerId,
    displayName: user,
    locale,
    mustChangePassword: false,
    recovery: false,
    caller,
    session: { userId: u.id, email: u.email, claims: caller.role === "authenticated" ? caller.claims : { sub: u.id, role: "authenticated" }, accessToken: "", expiresAt: 0 },
  };
}
