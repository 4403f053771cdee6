import { describe, expect, it } from "vitest";
import { toAppError } from "@/lib/db/to-app-error";
import { DbError } from "@/lib/db/types";
import { AppError, isErrorCode, type ErrorCode } from "@/lib/errors";
import { errorResponse } from "@/lib/http/handler";

describe("AppError", () => {
  it("serialises as {error: {code, message}} without details when there are none", () => {
    const e = new AppError("not_found", "No such customer");
    expect(e.toJSON()).toEqual({ error: { code: "not_found", message: "No such customer" } });
    expect(JSON.parse(JSON.stringify(e))).toEqual({ error: { code: "not_found", message: "No such customer" } });
    expect("details" in e.toJSON().error).toBe(false);
  });

  it("serialises details when given, including falsy ones", () => {
    const fields = [{ path: "email", message: "Required" }];
    expect(new AppError("validation_failed", "Invalid", fields).toJSON()).toEqual({
      error: { code: "validation_failed", message: "Invalid", details: fields },
    });
    expect(new AppError("conflict", "x", null).toJSON().error).toHaveProperty("details", null);
    expect(new AppError("conflict", "x", 0).toJSON().error).toHaveProperty("details", 0);
  });

  it("is an Error with name AppError, and never serialises its stack", () => {
    const e = new AppError("forbidden", "No");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("AppError");
    expect(JSON.stringify(e)).not.toContain("at ");
  });

  it("isErrorCode accepts only the closed set (not inherited keys)", () => {
    expect(isErrorCode("forbidden")).toBe(true);
    for (const v of ["toString", "constructor", "__proto__", "hasOwnProperty", "FORBIDDEN", "", 403, null, undefined, {}]) {
      expect(isErrorCode(v), String(v)).toBe(false);
    }
  });
});

describe("toAppError", () => {
  it("passes an AppError through unchanged", () => {
    const e = new AppError("conflict", "x");
    expect(toAppError(e)).toBe(e);
  });

  it("leaves other errors alone (they become a generic 500)", () => {
    expect(toAppError(new Error("boom"))).toBeUndefined();
    expect(toAppError("boom")).toBeUndefined();
    expect(toAppError(null)).toBeUndefined();
    expect(toAppError({ code: "23505", message: "looks like a DbError" })).toBeUndefined();
  });

  it("P0001 with a known code: that code, details as the message, the JSON hint as details", () => {
    const app = toAppError(new DbError("P0001", "insufficient_stock", "Not enough stock for SKU-1", '{"sku":"SKU-1","available":3}'));
    expect(app).toBeInstanceOf(AppError);
    expect(app).toMatchObject({ code: "insufficient_stock", status: 409, message: "Not enough stock for SKU-1", details: { sku: "SKU-1", available: 3 } });
  });

  it("P0001 with a known code and no details: the code is the message, no details", () => {
    const app = toAppError(new DbError("P0001", "forbidden"));
    expect(app?.toJSON()).toEqual({ error: { code: "forbidden", message: "forbidden" } });
  });

  it("P0001 with a hint that is not JSON: no details rather than a crash", () => {
    expect(toAppError(new DbError("P0001", "invalid_state", "Already committed", "not json"))?.details).toBeUndefined();
  });

  it("P0001 with an unknown code (free text) is internal", () => {
    expect(toAppError(new DbError("P0001", "something broke in plpgsql", "secret detail"))).toBeUndefined();
    expect(toAppError(new DbError("P0001", "toString"))).toBeUndefined();
  });

  it("maps constraint and auth codes, with our own message, never the database's", () => {
    const cases: [string, ErrorCode, number][] = [
      ["23505", "conflict", 409],
      ["23503", "validation_failed", 422],
      ["23514", "validation_failed", 422],
      ["23502", "validation_failed", 422],
      ["22001", "validation_failed", 422],
      ["22003", "validation_failed", 422],
      ["22P02", "validation_failed", 422],
      ["22007", "validation_failed", 422],
      ["22008", "validation_failed", 422],
      ["42501", "forbidden", 403],
      ["PGRST301", "unauthorized", 401],
      ["PGRST303", "unauthorized", 401],
      ["40001", "conflict", 409],
      ["40P01", "conflict", 409],
    ];
    for (const [pg, code, status] of cases) {
      const app = toAppError(new DbError(pg, `db text for ${pg} with "customers_pkey"`, "Key (id)=(1)", '{"leak":true}'));
      expect(app, pg).toMatchObject({ code, status });
      expect(JSON.stringify(app!.toJSON()), pg).not.toMatch(/db text|customers_pkey|Key \(id\)|leak/);
      expect(app!.details, pg).toBeUndefined();
    }
  });

  it("unknown database codes are internal", () => {
    for (const code of ["XX000", "42883", "42P01", "57014", "PGRST202", ""]) expect(toAppError(new DbError(code, "m")), code).toBeUndefined();
  });
});

describe("errorResponse (the route wrapper's error mapping)", () => {
  it("answers an AppError with its status and JSON shape", async () => {
    const res = errorResponse(new AppError("validation_failed", "Bad input", [{ path: "email", message: "Required" }]), "req-1");
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { code: "validation_failed", message: "Bad input", details: [{ path: "email", message: "Required" }] } });
  });

  it("answers a mapped database error with the mapped code", async () => {
    const res = errorResponse(new DbError("P0001", "forbidden", "Only managers approve", null), "req-2");
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "forbidden", message: "Only managers approve" } });
  });

  it("answers anything else with a generic 500 that leaks nothing but the request id", async () => {
    const res = errorResponse(new DbError("42P01", 'relation "secret_table" does not exist'), "req-3");
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({ error: { code: "internal_error", message: expect.any(String), details: { request_id: "req-3" } } });
    expect(JSON.stringify(body)).not.toMatch(/secret_table|relation|42P01/);
    const plain = errorResponse(new TypeError("Cannot read properties of undefined (reading 'password')"), "req-4");
    expect(JSON.stringify(await plain.json())).not.toMatch(/password|TypeError/);
  });
});

describe("errors from another copy of the module", () => {
  // Next.js may bundle lib/errors.ts twice (a page and a route handler); a not_found raised by one
  // copy must still be recognised by the other, or it would turn into a 500.
  it("are recognised by instanceof and mapped, both ways", async () => {
    const { vi } = await import("vitest");
    vi.resetModules();
    const other = await import("@/lib/errors");
    const otherDb = await import("@/lib/db/types");
    expect(other.AppError).not.toBe(AppError);
    expect(new other.AppError("not_found", "x") instanceof AppError).toBe(true);
    expect(new AppError("not_found", "x") instanceof other.AppError).toBe(true);
    expect(toAppError(new otherDb.DbError("P0001", "insufficient_stock"))?.status).toBe(409);
    // Denied: look-alikes without the brand are not ours.
    expect(Object.assign(new Error("not_found"), { name: "AppError", code: "not_found" }) instanceof AppError).toBe(false);
    expect(toAppError(Object.assign(new Error("x"), { name: "DbError", code: "23505" }))).toBeUndefined();
    expect(new Error("x") instanceof DbError).toBe(false);
  });
});
