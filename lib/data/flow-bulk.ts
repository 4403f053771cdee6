import "server-only";
import { createHash } from "node:crypto";
import type { Caller, Idempotency } from "@/lib/db";
import { toAppError } from "@/lib/db/to-app-error";
import { AppError } from "@/lib/errors";
import type { BulkFlowAction } from "@/lib/schemas/flow-bulk";
import { flowAction } from "./flows";

export type BulkRowResult =
  | { id: string; ok: true; number: string; status: string; shortfalls: unknown[] }
  | { id: string; ok: false; error: { code: string; message: string; details?: unknown } };

// Errors that say nothing about one row (the session ended, the database is away): the whole
// request answers with them instead of pretending each row failed on its own.
const WHOLE_REQUEST = new Set(["unauthorized", "unavailable", "rate_limited"]);

/** A row's own Idempotency-Key, derived from the request's, so a retried bulk replays each row. */
function rowIdempotency(idem: Idempotency | undefined, id: string): Idempotency | undefined {
  if (!idem) return undefined;
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");
  return { key: `bulk:${sha(`${idem.key}\n${id}`)}`, hash: sha(`${idem.hash}\n${id}`), replayed: false };
}

/**
 * One workflow step for several flows, each in its own transaction through the same database
 * function as the single-flow endpoint: every rule (role, status, segregation of duties, stock)
 * is checked per row by the database, and one refusal does not undo the others.
 */
export async function bulkFlowAction(as: Caller, action: BulkFlowAction, ids: string[], idem?: Idempotency): Promise<BulkRowResult[]> {
  const results: BulkRowResult[] = [];
  for (const id of ids) {
    try {
      const flow = await flowAction(as, action, id, {}, rowIdempotency(idem, id));
      const shortfalls = Array.isArray(flow.shortfalls) ? (flow.shortfalls as unknown[]) : [];
      results.push({ id, ok: true, number: flow.number, status: flow.status, shortfalls });
    } catch (error) {
      const appError = error instanceof AppError ? error : toAppError(error);
      if (!appError || WHOLE_REQUEST.has(appError.code)) throw error;
      results.push({ id, ok: false, error: { code: appError.code, message: appError.message, details: appError.details } });
    }
  }
  return results;
}
