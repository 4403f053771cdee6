import "server-only";
import { z } from "zod";
import { pruneStaleUploads } from "@/lib/data/attachment-uploads";
import { pruneImportUploads } from "@/lib/data/import-uploads";
import { call, defineFunction, service } from "@/lib/db";
import { log } from "@/lib/log";

// Housekeeping jobs: the audit trail's retention (one year; security events three) and the
// Idempotency-Keys' 24 hours, expired rate-limit windows, direct uploads never completed (their
// stored objects included), import files uploaded but never imported, scheduled job runs older
// than 30 days, emails sent, skipped or failed more than 90 days ago, and the dashboard's daily
// totals of days it can no longer show (older than 92 days).

export const fnAuditRetention = defineFunction(
  "jobs_audit_retention",
  z.object({}),
  z.object({ deleted: z.number().int(), deleted_security: z.number().int() }),
);
export const fnPruneIdempotencyKeys = defineFunction("jobs_prune_idempotency_keys", z.object({}), z.object({ deleted: z.number().int() }));
const fnPruneRateLimits = defineFunction("rate_limits_prune", z.object({}), z.number().int());
const fnPruneJobRuns = defineFunction("jobs_prune_job_runs", z.object({}), z.number().int());
const fnPruneEmailOutbox = defineFunction("jobs_prune_email_outbox", z.object({}), z.number().int());
const fnPruneFlowDailyTotals = defineFunction("jobs_prune_flow_daily_totals", z.object({ p_limit: z.number().int() }), z.number().int());

/**
 * The daily totals of days the dashboard no longer shows, in batches of `batch` rows, each call
 * its own statement within the statement timeout: the first run after the dashboard's periods
 * became a quarter had nine months to delete. Stops at the first short batch, or after `maxCalls`
 * (the next day's run goes on). Returns how many rows went.
 */
export async function pruneFlowDailyTotals(batch = 100_000, maxCalls = 50): Promise<number> {
  let deleted = 0;
  for (let n = 0; n < maxCalls; n++) {
    const d = await call(fnPruneFlowDailyTotals, { p_limit: batch }, service);
    deleted += d;
    if (d < batch) break;
  }
  return deleted;
}

export async function runAuditRetention() {
  const result = await call(fnAuditRetention, {}, service);
  log.info("jobs.audit_retention", result);
  return result;
}

// Expired rate-limit windows, stale direct uploads, old job runs, old emails and old daily totals go with the same
// daily run (each rate-limit hit also prunes a few). Vercel Hobby allows daily crons only: one
// more prune is one more call here, not one more job.
export async function runIdempotencyPrune() {
  const keys = await call(fnPruneIdempotencyKeys, {}, service);
  const result = {
    ...keys,
    rate_limits_deleted: await call(fnPruneRateLimits, {}, service),
    attachment_uploads: await pruneStaleUploads(),
    import_uploads: await pruneImportUploads(),
    job_runs_deleted: await call(fnPruneJobRuns, {}, service),
    email_outbox_deleted: await call(fnPruneEmailOutbox, {}, service),
    flow_daily_totals_deleted: await pruneFlowDailyTotals(),
  };
  log.info("jobs.idempotency_prune", result);
  return result;
}
