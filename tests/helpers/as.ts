import type { Caller } from "@/lib/db/types";
import { USERS, type DemoUser } from "./demo";
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
