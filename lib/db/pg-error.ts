import { DbError } from "./types";

type PgLikeError = { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown };

/** node-postgres and PGlite both expose the server's error fields; normalise them. */
export function toDbError(error: unknown): DbError {
  if (error instanceof DbError) return error;
  const e = (error ?? {}) as PgLikeError;
  const code = typeof e.code === "string" ? e.code : "XX000";
  const message = typeof e.message === "string" ? e.message : "database error";
  return new DbError(
    code,
    message,
    typeof e.detail === "string" ? e.detail : null,
    typeof e.hint === "string" && e.hint !== "" ? e.hint : null,
  );
}
