// The benches' signed-in callers, for a Postgres client and for embedded PGlite alike: no imports
// with side effects (common.ts changes the working directory and needs a server).

import type { Caller, JwtClaims } from "@/lib/db/types";

export const USERS = {
  korean: { id: "a0000000-0000-4000-8000-000000000003", email: "korean@duly.test" },
  manager: { id: "a0000000-0000-4000-8000-000000000002", email: "manager@duly.test" },
};

/** pg's Client.query and PGlite's query both fit. */
export type RowsQuery = <T>(sql: string, params: unknown[]) => Promise<{ rows: T[] }>;

/**
 * A signed-in caller as the app's session token carries it: a new live session row (as sign-in
 * makes one; private.actor checks it on every call) and the claims that name it.
 */
export async function signedIn(query: RowsQuery, user: { id: string; email: string }): Promise<Caller> {
  const row = (await query<{ s: { id: string } }>("select auth.create_session($1, 86400, 'bench') s", [user.id])).rows[0].s;
  const claims: JwtClaims = {
    sub: user.id,
    role: "authenticated",
    aud: "authenticated",
    email: user.email,
    session_id: row.id,
    app_metadata: {},
    user_metadata: {},
  } as JwtClaims;
  return { role: "authenticated", userId: user.id, claims };
}
