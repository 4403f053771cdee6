import { AppError, isErrorCode } from "@/lib/errors";
import { DbError } from "./types";

// Database errors become AppErrors. Our functions raise with message = an AppError code
// (private.fail); constraint violations mean the input was wrong; anything else is internal and
// its text never reaches a client.

function parseHint(hint: string | null): unknown {
  if (!hint) return undefined;
  try {
    return JSON.parse(hint);
  } catch {
    return undefined;
  }
}

const CONSTRAINT_CODES: Record<string, [AppError["code"], string]> = {
  "23505": ["conflict", "A record with the same unique value already exists"],
  "23503": ["validation_failed", "A referenced record does not exist or is still in use"],
  // `on delete restrict` (a customer that still has users): Postgres 17 (PGlite) reports
  // restrict_violation where 15 and 16 report 23503; both must mean the same to a client.
  "23001": ["validation_failed", "A referenced record does not exist or is still in use"],
  "23514": ["validation_failed", "A value is outside what is allowed"],
  "23502": ["validation_failed", "A required value is missing"],
  "22001": ["validation_failed", "A value is too long"],
  "22003": ["validation_failed", "A number is out of range"],
  "22P02": ["validation_failed", "A value has the wrong format"],
  // A NUL character in text: Postgres text cannot hold one.
  "22021": ["validation_failed", "A text value contains a character that is not allowed"],
  "22P05": ["validation_failed", "A text value contains a character that is not allowed"],
  "22007": ["validation_failed", "A date or time has the wrong format"],
  "22008": ["validation_failed", "A date or time is out of range"],
  "42501": ["forbidden", "You are not allowed to do this"],
  PGRST301: ["unauthorized", "Your session is not valid"],
  PGRST303: ["unauthorized", "Your session has expired"],
  "40001": ["conflict", "The record changed at the same time; try again"],
  "40P01": ["conflict", "The record changed at the same time; try again"],
};

export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (!(error instanceof DbError)) return undefined;
  if (error.code === "P0001" && isErrorCode(error.message)) {
    return new AppError(error.message, error.details || error.message, parseHint(error.hint));
  }
  const mapped = CONSTRAINT_CODES[error.code];
  if (mapped) return new AppError(mapped[0], mapped[1]);
  return undefined;
}
