import { expect } from "vitest";
import { USERS, type DemoUser } from "./demo";
import { attempt, become, type Who } from "./sql-as";
import type { Query, TestDb } from "./test-db";

// Database functions called as SQL the way PostgREST calls them (named arguments), and the
// role matrix of the contract suites: who may call a function and what everyone else gets.

export type Args = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T/;

function sqlType(key: string, value: unknown): string {
  if (value === null) return /(^p_id|_id|^p_actor)$/.test(key) ? "uuid" : "text";
  if (typeof value === "object") return "jsonb";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "numeric";
  if (typeof value === "string" && UUID.test(value)) return "uuid";
  if (typeof value === "string" && TIMESTAMP.test(value)) return "timestamptz";
  return "text";
}

/** `select public.fn(name => $1::type, …) as r`, each argument typed by its value. */
export function rpcSql(fn: string, args: Args): { sql: string; params: unknown[] } {
  const entries = Object.entries(args).filter(([, v]) => v !== undefined);
  const params = entries.map(([, v]) => (v !== null && typeof v === "object" ? JSON.stringify(v) : v));
  const named = entries.map(([k, v], i) => `${k} => $${i + 1}::${sqlType(k, v)}`);
  return { sql: `select public.${fn}(${named.join(", ")}) as r`, params };
}

/** Calls a function in the current transaction and returns its result (a failure throws). */
export async function rpc<T = Record<string, unknown>>(q: Query, fn: string, args: Args = {}): Promise<T> {
  const { sql, params } = rpcSql(fn, args);
  const [row] = await q<{ r: T }>(sql, params);
  return row.r;
}

/**
 * Calls a function under a savepoint: "ok", the error code a function raised with private.fail
 * (forbidden, invalid_state …), or the SQLSTATE of any other error (42501 …).
 */
export async function outcome(q: Query, fn: string, args: Args = {}): Promise<string> {
  const { sql, params } = rpcSql(fn, args);
  const result = await attempt(q, sql, params);
  if (result.ok) return "ok";
  return result.error.code === "P0001" ? result.error.message : result.error.code;
}

/** The details a function attached to its failure (private.fail's third argument). */
export async function failure(q: Query, fn: string, args: Args = {}): Promise<{ code: string; details: unknown }> {
  const { sql, params } = rpcSql(fn, args);
  try {
    await q("savepoint failure");
    await q(sql, params);
  } catch (error) {
    await q("rollback to savepoint failure");
    const e = error as { code: string; message: string; hint: string | null };
    return { code: e.code === "P0001" ? e.message : e.code, details: e.hint ? JSON.parse(e.hint) : null };
  }
  throw new Error(`${fn} succeeded`);
}

export const STAFF = ["admin", "manager", "korean", "chinese"] as const satisfies DemoUser[];
export const APPROVERS = ["admin", "manager"] as const satisfies DemoUser[];
export const DELETERS = ["admin", "manager", "korean"] as const satisfies DemoUser[];

/**
 * Everyone a role matrix tries: the demo staff and both demo customers, a deactivated manager, a
 * manager's token whose session is gone, a session without a profile, and anon.
 */
export const CALLERS = [...STAFF, "acme", "bluesky", "deactivated manager", "manager without a session", "no profile", "anon"] as const;
export type Caller = (typeof CALLERS)[number];

/** The Who of a matrix caller (`deactivated` is the id of a deactivated manager the suite made). */
export function callerWho(caller: Caller, deactivated: { id: string; email: string }): Who {
  switch (caller) {
    case "deactivated manager":
      return deactivated;
    case "manager without a session":
      return { id: USERS.manager.id, email: USERS.manager.email, sessionId: null };
    case "no profile":
      return { id: "00000000-0000-4000-8000-00000000dead" };
    default:
      return caller;
  }
}

/** What a caller gets from a function that `allowed` may call (begin_action's answers). */
export function expectedOutcome(caller: Caller, allowed: readonly DemoUser[]): string {
  if ((allowed as readonly string[]).includes(caller)) return "ok";
  if (caller === "anon") return "42501";
  if (caller === "acme" || caller === "bluesky" || (STAFF as readonly string[]).includes(caller)) return "forbidden";
  return "unauthorized";
}

export type FunctionSpec<F> = {
  fn: string;
  allowed: readonly DemoUser[];
  /** The arguments; may make fixtures first (runs as the superuser, inside the rolled-back transaction). */
  args: (q: Query, fx: F) => Promise<Args> | Args;
};

/** One rolled-back transaction: the spec's fixtures as superuser, then the call as `who`. */
export function callAs<F>(db: TestDb, spec: FunctionSpec<F>, fx: F, who: Who): Promise<string> {
  return db.rolledBack(async (q) => {
    const args = await spec.args(q, fx);
    await become(q, who);
    return outcome(q, spec.fn, args);
  });
}

/** The service role names the actor: an allowed user's call succeeds, a customer's is forbidden, none is unauthorized. */
export async function expectServiceRoleActs<F>(db: TestDb, spec: FunctionSpec<F>, fx: F): Promise<void> {
  const as = async (actor: string | undefined) =>
    db.rolledBack(async (q) => {
      const args = await spec.args(q, fx);
      await become(q, "service_role");
      return outcome(q, spec.fn, { ...args, p_actor: actor });
    });
  expect(await as(USERS[spec.allowed[0]].id)).toBe("ok");
  expect(await as(USERS.acme.id)).toBe("forbidden");
  expect(await as(undefined)).toBe("unauthorized");
}
