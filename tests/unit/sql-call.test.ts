import { describe, expect, it } from "vitest";
import { assertIdentifier, functionCall, oneTripCall, sessionSetup, sqlLiteral } from "@/lib/db/sql-call";
import type { Caller } from "@/lib/db/types";

// What the Postgres and PGlite transports run for one rpc: the same as PostgREST's POST /rpc/fn.

describe("functionCall", () => {
  it("calls public.fn with named parameters in argument order", () => {
    expect(functionCall("fn", { a: 1, b: "x" })).toEqual({ sql: "select public.fn(a => $1, b => $2) as result", params: ["1", "x"] });
  });

  it("calls a function without arguments", () => {
    expect(functionCall("health_check", {})).toEqual({ sql: "select public.health_check() as result", params: [] });
  });

  it("keeps an explicit schema", () => {
    expect(functionCall("auth.sign_in", { p_email: "a@b" }).sql).toBe("select auth.sign_in(p_email => $1) as result");
  });

  it("drops undefined arguments (the function's default applies) and renumbers the rest", () => {
    expect(functionCall("fn", { a: undefined, b: 2, c: undefined, d: "x" })).toEqual({
      sql: "select public.fn(b => $1, d => $2) as result",
      params: ["2", "x"],
    });
  });

  it("passes null as SQL null (an explicit null, unlike undefined, is sent)", () => {
    expect(functionCall("fn", { a: null })).toEqual({ sql: "select public.fn(a => $1) as result", params: [null] });
  });

  it("encodes objects and arrays as JSON, dates as ISO text, scalars as text", () => {
    const when = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const { params } = functionCall("fn", {
      o: { k: "한", n: [1, 2], nested: { x: null } },
      arr: ["a", "b"],
      d: when,
      n: 1.5,
      big: 12345678901234567890n,
      t: true,
      f: false,
      s: "text",
    });
    expect(params).toEqual([
      JSON.stringify({ k: "한", n: [1, 2], nested: { x: null } }),
      '["a","b"]',
      "2026-01-02T03:04:05.000Z",
      "1.5",
      "12345678901234567890",
      "true",
      "false",
      "text",
    ]);
  });

  it("never puts values into the SQL text", () => {
    const { sql, params } = functionCall("fn", { p: "x'); drop table customers; --" });
    expect(sql).toBe("select public.fn(p => $1) as result");
    expect(params).toEqual(["x'); drop table customers; --"]);
  });

  it("refuses unsafe function and argument names", () => {
    for (const fn of ["fn; drop table x", "a-b", "Fn", '"fn"', "fn()", "", "1fn", "fn x", "public.fn; x", "a".repeat(64)]) {
      expect(() => functionCall(fn, {}), fn).toThrow(/Not a valid function or argument name/);
    }
    for (const arg of ["a-b", "a b", "a=>1", "A", "p_x; drop", ""]) {
      expect(() => functionCall("fn", { [arg]: 1 }), arg).toThrow(/Not a valid function or argument name/);
    }
  });

  it("refuses a name with more than one dot instead of calling something else", () => {
    expect(() => functionCall("public.fn.extra", {})).toThrow(/Not a valid function or argument name/);
  });
});

describe("assertIdentifier", () => {
  it("accepts lower-case Postgres identifiers up to 63 characters", () => {
    for (const ok of ["fn", "_private", "p_customer_id", "a1", "a".repeat(63)]) expect(assertIdentifier(ok)).toBe(ok);
  });
});

describe("sessionSetup", () => {
  const sql =
    "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), " +
    "set_config('request.jwt.claim.sub', $3, true), set_config('statement_timeout', $4, true)";

  it("anon: role anon, claims {role: anon}, no subject", () => {
    expect(sessionSetup({ role: "anon" })).toEqual({ sql, params: ["anon", '{"role":"anon"}', "", "8000ms"] });
  });

  it("service_role: role service_role, claims {role: service_role}, no subject", () => {
    expect(sessionSetup({ role: "service_role" })).toEqual({ sql, params: ["service_role", '{"role":"service_role"}', "", "8000ms"] });
  });

  it("authenticated: the user's claims as JSON and their id as the subject", () => {
    const caller: Caller = {
      role: "authenticated",
      userId: "a0000000-0000-4000-8000-000000000005",
      claims: { sub: "a0000000-0000-4000-8000-000000000005", role: "authenticated", email: "customer@acme.test", aud: "authenticated", exp: 2000000000 },
      accessToken: "not-sent-to-sql",
    };
    const { sql: text, params } = sessionSetup(caller);
    expect(text).toBe(sql);
    expect(params[0]).toBe("authenticated");
    expect(JSON.parse(params[1])).toEqual(caller.role === "authenticated" ? caller.claims : null);
    expect(params[2]).toBe("a0000000-0000-4000-8000-000000000005");
    expect(params.join(" ")).not.toContain("not-sent-to-sql");
  });

  it("the statement timeout is the one configured, in milliseconds", () => {
    expect(sessionSetup({ role: "anon" }, 250).params[3]).toBe("250ms");
  });

  it("settings are local to the transaction (is_local = true) and bound, never interpolated", () => {
    const { sql: text } = sessionSetup({ role: "anon" });
    expect(text.match(/, true\)/g)).toHaveLength(4);
    expect(text).not.toContain("anon");
  });
});

describe("sqlLiteral", () => {
  // The escaping itself is node-postgres's (and round-trips byte for byte in
  // tests/db/transport-values-contract.ts); what is ours is refusing NUL.
  it("refuses a NUL character as Postgres would (a 4xx, not an internal error)", () => {
    expect(() => sqlLiteral("a\u0000b")).toThrow(expect.objectContaining({ name: "DbError", code: "22021" }));
  });
});

describe("oneTripCall", () => {
  it("wraps setup and call in one transaction, values inlined as literals", () => {
    expect(oneTripCall("fn", { a: "x", b: null }, { role: "anon" })).toBe(
      "begin; select set_config('role', 'anon', true), set_config('request.jwt.claims', '{\"role\":\"anon\"}', true), " +
        "set_config('request.jwt.claim.sub', '', true), set_config('statement_timeout', '8000ms', true); " +
        "select public.fn(a => 'x', b => null) as result; commit",
    );
  });

  it("substitutes each placeholder once: a value holding $1 stays as it is", () => {
    const sql = oneTripCall("fn", { a: "$2", b: "$1" }, { role: "service_role" });
    expect(sql).toContain("select public.fn(a => '$2', b => '$1') as result");
  });
});
