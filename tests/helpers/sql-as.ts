import { USERS, type DemoUser } from "./demo";
import { testSessionId } from "./sessions";
import type { Query, TestDb } from "./test-db";

// Plain SQL as one of PostgREST's roles, the way the transports do it (lib/db/sql-call.ts):
// inside a transaction, role and JWT claims set for that transaction only. Written out here
// rather than imported so that the tests also check the transport's own setup.

/**
 * A demo user, PostgREST's other two roles, or any user id (an authenticated session: the user's
 * standing test session unless `sessionId` names another, or null for a token without one).
 */
export type Who = DemoUser | "anon" | "service_role" | { id: string; email?: string; sessionId?: string | null };

export function roleAndClaims(who: Who): { role: string; claims: Record<string, unknown> } {
  if (who === "anon" || who === "service_role") return { role: who, claims: { role: who } };
  const user = typeof who === "string" ? USERS[who] : who;
  return {
    role: "authenticated",
    claims: {
      sub: user.id,
      role: "authenticated",
      aud: "authenticated",
      ...(user.email ? { email: user.email } : {}),
      ...sessionClaim("sessionId" in user ? user.sessionId : testSessionId(user.id)),
    },
  };
}

function sessionClaim(sessionId: string | null | undefined): { session_id?: string } {
  return sessionId ? { session_id: sessionId } : {};
}

/** Switches the current transaction to `who` (back to the superuser with `becomeSuperuser`). */
export async function become(q: Query, who: Who): Promise<void> {
  const { role, claims } = roleAndClaims(who);
  await q("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [role, JSON.stringify(claims)]);
}

/** Back to the connecting superuser inside the same transaction (fixtures mid-test). */
export async function becomeSuperuser(q: Query): Promise<void> {
  await q("select set_config('role', 'none', true), set_config('request.jwt.claims', '', true)");
}

/** Runs `work` as `who` in one transaction that is always rolled back. */
export function withRole<T>(db: TestDb, who: Who, work: (q: Query) => Promise<T>): Promise<T> {
  return db.rolledBack(async (q) => {
    await become(q, who);
    return work(q);
  });
}

/** One statement as `who`, rolled back: its rows, or the database error (a DbError) thrown. */
export function sqlAs<T = Record<string, unknown>>(db: TestDb, who: Who, sql: string, params?: unknown[]): Promise<T[]> {
  return withRole(db, who, (q) => q<T>(sql, params));
}

/**
 * Runs a statement inside the current transaction under a savepoint: a failure is returned
 * (and undone) instead of aborting the transaction, so a test can go on as the same role.
 */
export async function attempt<T = Record<string, unknown>>(
  q: Query,
  sql: string,
  params?: unknown[],
): Promise<{ ok: true; rows: T[] } | { ok: false; error: { code: string; message: string } }> {
  await q("savepoint attempt");
  try {
    const rows = await q<T>(sql, params);
    await q("release savepoint attempt");
    return { ok: true, rows };
  } catch (error) {
    await q("rollback to savepoint attempt");
    const e = error as { code: string; message: string };
    return { ok: false, error: { code: e.code, message: e.message } };
  }
}

/** A function a statement ran, with its language and how many times it was called. */
export type FunctionCalls = { fn: string; language: string; calls: number };

/**
 * One statement as `who`, rolled back, with the functions it ran (`track_functions = 'all'`): its
 * rows and each function called at least once. Inlined SQL functions are not calls.
 */
export function sqlAsCounting<T = Record<string, unknown>>(
  db: TestDb,
  who: Who,
  sql: string,
  params?: unknown[],
): Promise<{ rows: T[]; calls: FunctionCalls[] }> {
  return db.rolledBack(async (q) => {
    await q("set local track_functions = 'all'");
    // The counts a backend has not yet reported include its earlier transactions': the difference.
    const counts = async () =>
      new Map(
        (await q<FunctionCalls>(
          `select f.schemaname || '.' || f.funcname as fn, l.lanname as language, f.calls::int as calls
           from pg_stat_xact_user_functions f join pg_proc p on p.oid = f.funcid join pg_language l on l.oid = p.prolang`,
        )).map((r) => [r.fn, r]),
      );
    const before = await counts();
    await become(q, who);
    const rows = await q<T>(sql, params);
    await becomeSuperuser(q);
    const calls = [...(await counts()).values()]
      .map((r) => ({ ...r, calls: r.calls - (before.get(r.fn)?.calls ?? 0) }))
      .filter((r) => r.calls > 0)
      .sort((a, b) => a.fn.localeCompare(b.fn));
    return { rows, calls };
  });
}
