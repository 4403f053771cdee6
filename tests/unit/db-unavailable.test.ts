import { describe, expect, it } from "vitest";
import { isUnavailable } from "@/lib/db/outage";
import { toDbError } from "@/lib/db/pg-error";
import { DbError } from "@/lib/db/types";

// Which failures mean "the database cannot answer now" (503) rather than a bug (500) or bad
// input (4xx): node-postgres's connection failures get the SQLSTATE Postgres uses for the same.

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
}

describe("toDbError for connection failures", () => {
  it.each([
    [socketError("ECONNREFUSED"), "08001"],
    [socketError("ECONNRESET"), "08001"],
    [socketError("ETIMEDOUT"), "08001"],
    [new Error("Query read timeout"), "57014"],
    [new Error("timeout exceeded when trying to connect"), "08001"],
    [new Error("Connection terminated due to connection timeout"), "08001"],
    [new Error("Connection terminated unexpectedly"), "08006"],
    [new Error("Client has encountered a connection error and is not queryable"), "08006"],
  ])("%s → %s, unavailable, without the address in the message", (error, code) => {
    const db = toDbError(error);
    expect(db.code).toBe(code);
    expect(isUnavailable(db)).toBe(true);
    expect(db.message).not.toContain("127.0.0.1");
  });

  it("keeps a server's SQLSTATE and message", () => {
    const db = toDbError(Object.assign(new Error("duplicate key"), { code: "23505", detail: "Key (code)=(X) exists" }));
    expect(db).toMatchObject({ code: "23505", message: "duplicate key", details: "Key (code)=(X) exists" });
    expect(isUnavailable(db)).toBe(false);
  });

  it("an unknown failure stays internal (XX000), not unavailable", () => {
    expect(isUnavailable(toDbError(new Error("something else broke")))).toBe(false);
  });
});

describe("isUnavailable", () => {
  it.each(["08000", "08003", "08006", "57014", "57P01", "57P03", "53300", "PGRST001", "PGRST003"])("%s is", (code) => {
    expect(isUnavailable(new DbError(code, "m", null, null))).toBe(true);
  });
  it.each(["23505", "P0001", "42501", "40001", "XX000", "PGRST301"])("%s is not", (code) => {
    expect(isUnavailable(new DbError(code, "m", null, null))).toBe(false);
  });
  it("only database errors are", () => {
    expect(isUnavailable(new Error("Connection terminated"))).toBe(false);
  });
});
