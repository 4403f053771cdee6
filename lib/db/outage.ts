import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { reportError } from "@/lib/observability/report";
import { DbError } from "./types";

// Database outages (docs/security.md, "Database outages and timeouts"). While the database
// cannot answer (refusing connections, frozen, past a timeout), every request fails the same way:
// it answers 503 with Retry-After, and the outage is logged and reported once, when it starts,
// and once more when a call succeeds again — not once per request (a refused database used to
// send a Sentry event for every request, dozens a second).

/** Seconds a client is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

// SQLSTATEs (and PostgREST's own codes) that mean "not now" rather than "wrong": class 08
// (connection exception), query_canceled (statement_timeout), the server shutting down or not yet
// accepting connections, too many connections; PostgREST cannot reach or time out on its pool.
const UNAVAILABLE = new Set(["57014", "57P01", "57P02", "57P03", "53300", "PGRST000", "PGRST001", "PGRST002", "PGRST003"]);

export function isUnavailable(error: unknown): error is DbError {
  return error instanceof DbError && (error.code.startsWith("08") || UNAVAILABLE.has(error.code));
}

type State = { since: number | null; failures: number; answered: WeakSet<object> };
// One state per process, not per bundle copy of this module (see lib/errors.ts).
const SLOT = Symbol.for("duly.databaseOutage");
const holder = globalThis as typeof globalThis & { [SLOT]?: State };

function state(): State {
  holder[SLOT] ??= { since: null, failures: 0, answered: new WeakSet() };
  return holder[SLOT];
}

/** The 503 for a call that failed because the database cannot answer; logs and reports only the first of an outage. */
export function outageFailure(error: DbError, fn: string): AppError {
  const s = state();
  s.failures++;
  if (s.since === null) {
    s.since = Date.now();
    log.error("database.unavailable", { code: error.code, reason: error.message, fn });
    reportError(error, { route: `database:${fn}` });
  }
  const answer = new AppError("unavailable", "The database is not answering; try again shortly", { retry_after: RETRY_AFTER_SECONDS });
  s.answered.add(answer);
  return answer;
}

/** A call succeeded: an outage in progress is over (logged once, with how long and how many failed). */
export function outageOver(): void {
  const s = state();
  if (s.since === null) return;
  log.warn("database.recovered", { failures: s.failures, ms: Date.now() - s.since });
  s.since = null;
  s.failures = 0;
}

/** Whether this error is an outage's 503, already logged and reported by outageFailure. */
export function isOutageAnswer(error: unknown): boolean {
  return typeof error === "object" && error !== null && state().answered.has(error);
}
