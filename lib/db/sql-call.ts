import pgUtils from "pg/lib/utils";
import { DbError, type Caller, type RpcArgs } from "./types";

// What PostgREST runs for POST /rpc/fn, shared by the Postgres and PGlite transports.

// Names are not escaped but checked: PostgREST exposes only plain lower-case names, and a name
// outside this set is a programming error, never something to quote and call.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a valid function or argument name: ${name}`);
  return name;
}

/** The statement timeout when none is configured (DB_STATEMENT_TIMEOUT_MS's default). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 8000;

/**
 * `select set_config(...)` that switches role, claims and the statement timeout for the current
 * transaction. The timeout bounds the function call that follows (Postgres 13 and later time each
 * statement of a multi-statement string on its own, with the setting current when it starts).
 */
export function sessionSetup(caller: Caller, statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS): { sql: string; params: string[] } {
  const claims =
    caller.role === "authenticated" ? caller.claims : { role: caller.role };
  return {
    sql:
      "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), " +
      "set_config('request.jwt.claim.sub', $3, true), set_config('statement_timeout', $4, true)",
    params: [caller.role, JSON.stringify(claims), caller.role === "authenticated" ? caller.userId : "", `${Math.trunc(statementTimeoutMs)}ms`],
  };
}

/**
 * Named-argument call of a function, parameters as text (or JSON for objects). Names without a
 * schema are in `public`, as PostgREST's /rpc; the embedded auth port also calls `auth.*`.
 */
export function functionCall(fn: string, args: RpcArgs): { sql: string; params: unknown[] } {
  const parts = fn.split(".");
  // split(".", 2) would silently drop a third part: "a.b.c" must fail, not call a.b.
  if (parts.length > 2) throw new Error(`Not a valid function or argument name: ${fn}`);
  const [schema, name] = parts.length === 2 ? parts : ["public", fn];
  const names = Object.keys(args).filter((k) => args[k] !== undefined);
  const params = names.map((k) => encodeParam(args[k]));
  const list = names.map((k, i) => `${assertIdentifier(k)} => $${i + 1}`).join(", ");
  return { sql: `select ${assertIdentifier(schema)}.${assertIdentifier(name)}(${list}) as result`, params };
}

function encodeParam(value: unknown): unknown {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return value;
}

/** A SQL string literal, escaped by node-postgres (`escapeLiteral`). */
export function sqlLiteral(value: string): string {
  // What Postgres answers when a bound parameter holds NUL: the same 4xx either way (a literal
  // would otherwise end at the NUL).
  if (value.includes("\0")) throw new DbError("22021", 'invalid byte sequence for encoding "UTF8": 0x00');
  return pgUtils.escapeLiteral(value);
}

function inline(sql: string, params: readonly unknown[]): string {
  // One pass over the template: a value that itself contains "$2" is never substituted again.
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    return value === null || value === undefined ? "null" : sqlLiteral(String(value));
  });
}

/**
 * The whole rpc (begin, role and claims, the call, commit) as one simple-protocol query string:
 * one round trip instead of four. Values are inlined as string literals, which Postgres types
 * exactly as it types unbound parameters (`unknown`, resolved by the function's signature), so
 * the call means the same; they are escaped, and names are checked identifiers. An error stops
 * the string where it happens and leaves the transaction aborted: the caller rolls back.
 */
export function oneTripCall(fn: string, args: RpcArgs, caller: Caller, statementTimeoutMs?: number): string {
  const setup = sessionSetup(caller, statementTimeoutMs);
  const call = functionCall(fn, args);
  return `begin; ${inline(setup.sql, setup.params)}; ${inline(call.sql, call.params)}; commit`;
}

/** The function's result from a oneTripCall's results (one per statement: begin, setup, call, commit). */
export function oneTripResult(results: readonly { rows: readonly unknown[] }[]): unknown {
  return (results[2]?.rows[0] as { result?: unknown } | undefined)?.result ?? null;
}
