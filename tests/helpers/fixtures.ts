import { randomUUID } from "node:crypto";
import type { Caller } from "@/lib/db/types";
import type { Role } from "@/lib/auth/permissions";
import { createTestSessions, testSessionId } from "./sessions";
import type { Query } from "./test-db";

// Data a test makes for itself (DESIGN §5: each test makes its own data), created the way
// production creates it: an auth.users row, whose trigger makes the profile from app_metadata.

export type TestUser = { id: string; email: string; password: string; role: Role; customerId: string | null };

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomUUID().slice(0, 6)}`;

export async function createUser(
  q: Query,
  opts: {
    role?: Role;
    customerId?: string | null;
    active?: boolean;
    password?: string;
    bannedUntil?: string | null;
    deleted?: boolean;
    email?: string;
  } = {},
): Promise<TestUser> {
  const role = opts.role ?? "korean_team";
  const customerId = opts.customerId ?? null;
  const email = opts.email ?? `user-${unique()}@test.example`;
  const password = opts.password ?? "test-pass-1234";
  const [row] = await q<{ id: string }>(
    `insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data,
       raw_user_meta_data, banned_until, deleted_at)
     values (gen_random_uuid(), 'authenticated', 'authenticated', $1, extensions.crypt($2, extensions.gen_salt('bf', 4)), now(),
       jsonb_strip_nulls(jsonb_build_object('provider', 'email', 'role', $3::text, 'customer_id', $4::uuid)),
       jsonb_build_object('display_name', 'Test ' || $3::text), $5::timestamptz, case when $6::boolean then now() end)
     returning id`,
    [email, password, role, customerId, opts.bannedUntil ?? null, opts.deleted ?? false],
  );
  // The standing test session first: deactivating ends it, as it ends every session.
  await createTestSessions(q, [row.id]);
  if (opts.active === false) await q("update public.profiles set active = false where id = $1", [row.id]);
  return { id: row.id, email, password, role, customerId };
}

export async function createCustomer(q: Query, opts: { name?: string } = {}): Promise<{ id: string; code: string }> {
  const code = `T${unique().toUpperCase().replace(/[^A-Z0-9]/g, "")}`.slice(0, 30);
  const [row] = await q<{ id: string }>("insert into public.customers (code, name) values ($1, $2) returning id", [
    code,
    opts.name ?? `Test customer ${code}`,
  ]);
  return { id: row.id, code };
}

/** The caller a signed-in test user's requests run as (their standing test session, or `sessionId`). */
export function callerOf(user: { id: string; email: string }, sessionId: string = testSessionId(user.id)): Caller {
  return {
    role: "authenticated",
    userId: user.id,
    claims: { sub: user.id, role: "authenticated", aud: "authenticated", email: user.email, session_id: sessionId },
  };
}
