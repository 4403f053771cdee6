import type { Caller, RpcArgs } from "./types";

// What PostgREST runs for POST /rpc/fn, shared by the Postgres and PGlite transports.

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a valid function or argument name: ${name}`);
  return name;
}

/** `select set_config(...)` that switches role and claims for the current transaction. */
export function sessionSetup(caller: Caller): { sql: string; params: string[] } {
  const claims =
    caller.role === "authenticated" ? caller.claims : { role: caller.role };
  return {
    sql:
      "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), " +
      "set_config('request.jwt.claim.sub', $3, true), set_config('statement_timeout', '20s', true)",
    params: [caller.role, JSON.stringify(claims), caller.role === "authenticated" ? caller.userId : ""],
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
