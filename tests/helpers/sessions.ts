import type { Query } from "./test-db";

// Tokens are good only while their session exists in auth.sessions (issue 12). Tests that build
// a caller by hand (as(), callerOf(), sqlAs()) name a real session row: every test user has a
// standing session whose id is the user's own id, made here for the demo users of the template
// database and by createUser() for a test's own users. Signing in through the API makes a new
// session of its own, as in production.

/** The id of a user's standing test session. */
export function testSessionId(userId: string): string {
  return userId;
}

/** Gives each listed user (every user, by default) their standing test session. */
export async function createTestSessions(q: Query, userIds?: string[]): Promise<void> {
  await q(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal)
     select u.id, u.id, now(), now(), 'aal1' from auth.users u
     where $1::uuid[] is null or u.id = any ($1::uuid[])
     on conflict (id) do nothing`,
    [userIds ?? null],
  );
}
