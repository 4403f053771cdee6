import { DbError } from "./types";

type PgLikeError = { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown };

// Failures of the connection itself carry no SQLSTATE: node's socket errors (ECONNREFUSED …) and
// node-postgres's own timeouts. They get the SQLSTATE Postgres gives the same condition, so one
// rule (lib/db/unavailable.ts) tells every "the database cannot answer now" apart from a bug.
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED"]);
const CONNECTION_MESSAGES: [RegExp, string, string][] = [
  // query_timeout: the server did not answer a statement in time (frozen, or the network is gone).
  [/^Query read timeout/, "57014", "The database did not answer in time"],
  // The pool's connectionTimeoutMillis: no free connection, or a new one not opened, in time.
  [/timeout exceeded when trying to connect|Connection terminated due to connection timeout/, "08001", "No database connection in time"],
  [/^Connection terminated|connection error and is not queryable|Client was closed and is not queryable/, "08006", "The database connection was lost"],
];

/** node-postgres and PGlite both expose the server's error fields; normalise them. */
export function toDbError(error: unknown): DbError {
  if (error instanceof DbError) return error;
  const e = (error ?? {}) as PgLikeError;
  const message = typeof e.message === "string" ? e.message : "database error";
  if (typeof e.code === "string" && SOCKET_CODES.has(e.code)) return new DbError("08001", `Cannot reach the database (${e.code})`, null, null);
  if (typeof e.code !== "string") {
    const known = CONNECTION_MESSAGES.find(([pattern]) => pattern.test(message));
    if (known) return new DbError(known[1], known[2], null, null);
  }
  const code = typeof e.code === "string" ? e.code : "XX000";
  return new DbError(
    code,
    message,
    typeof e.detail === "string" ? e.detail : null,
    typeof e.hint === "string" && e.hint !== "" ? e.hint : null,
  );
}
