import type { Role } from "@/lib/auth/permissions";
import { service } from "@/lib/db/types";
import { CUSTOMERS, USERS } from "./demo";
import { createUser, type TestUser } from "./fixtures";
import { createTestSessions } from "./sessions";
import type { TestDb } from "./test-db";

/** The temporary password holdNewUser's users are given. */
export const TEMPORARY_PASSWORD = "temporary-pass-1";

/**
 * A new user of `role` (an ACME user when a customer) whose password an admin has set to a
 * temporary one, the way the server does it (public.password_set_temporary as the service role,
 * which ends every session), and who has signed in again with it: a live session, must change.
 */
export async function holdNewUser(db: TestDb, role: Role): Promise<TestUser> {
  const user = await createUser(db.query, { role, customerId: role === "customer" ? CUSTOMERS.acme : null });
  await db.transport.rpc("password_set_temporary", { p_user_id: user.id, p_password: TEMPORARY_PASSWORD, p_actor: USERS.admin.id }, service);
  await createTestSessions(db.query, [user.id]);
  return { ...user, password: TEMPORARY_PASSWORD };
}
