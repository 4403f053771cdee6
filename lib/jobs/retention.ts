import "server-only";
import { z } from "zod";
import { pruneStaleUploads } from "@/lib/data/attachment-uploads";
import { pruneImportUploads } from "@/lib/data/import-uploads";
import { call, defineFunction, service } from "@/lib/db";
import { log } from "@/lib/log";

// Housekeeping jobs: the audit trail's retention (one year; security events three) and the
// Idempotency-Keys' 24 hours, expired rate-limit windows, direct uploads never completed (their
// stored objects included), and import files uploaded but never imported.

export const fnAuditRetention = defineFunction(
  "jobs_audit_retention",
  z.object({}),
  z.object({ deleted: z.number().int(), deleted_security: z.number().int() }),
);
export const fnPruneIdempotencyKeys = defineFunction("jobs_prune_idempotency_keys", z.object({}), z.object({ deleted: z.number().int() }));
const fnPruneRateLimits = defineFunction("rate_limits_prune", z.object({}), z.number().int());

export async function runAuditRetention() {
  const result = await call(fnAuditRetention, {}, service);
  log.info("jobs.audit_retention", result);
  return result;
}

// Expired rate-limit windows and stale direct uploads go with the same daily run (each
// rate-limit hit also prunes a few).
export async function runIdempotencyPrune() {
  const keys = await call(fnPruneIdempotencyKeys, {}, service);
  const result = {
    ...keys,
    rate_limits_deleted: await call(fnPruneRateLimits, {}, service),
    attachment_uploads: await pruneStaleUploads(),
    import_uploads: await pruneImportUploads(),
  };
  log.info("jobs.idempotency_prune", result);
  return result;
}
