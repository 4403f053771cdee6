import "server-only";
import { z } from "zod";
import { call, defineFunction, service } from "@/lib/db";
import { EMAIL_KINDS } from "./templates";

// The database side of email (supabase/migrations/20261207150100_email_outbox.sql). Every function
// here is service_role only: the outbox holds every user's addresses and messages.

export const claimedEmail = z.object({
  id: z.uuid(),
  claim_token: z.uuid(),
  kind: z.enum(EMAIL_KINDS),
  attempts: z.number().int(),
  to: z.string().nullable(),
  locale: z.string(),
  recipient_name: z.string().nullable(),
  inspection_id: z.uuid().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type ClaimedEmail = z.infer<typeof claimedEmail>;

export const fnEmailClaim = defineFunction(
  "jobs_email_claim",
  z.object({ p_limit: z.number().int().optional(), p_lease_seconds: z.number().int().optional() }),
  z.object({ data: z.array(claimedEmail) }),
);
/** True when the claim is still this deliverer's; renews its lease from now (called right before each send). */
export const fnEmailBegin = defineFunction(
  "jobs_email_begin",
  z.object({ p_id: z.uuid(), p_claim_token: z.uuid(), p_lease_seconds: z.number().int().optional() }),
  z.boolean(),
);
export const fnEmailFinish = defineFunction(
  "jobs_email_finish",
  z.object({
    p_id: z.uuid(),
    p_claim_token: z.uuid(),
    p_sent: z.boolean(),
    p_error: z.string().optional(),
    p_permanent: z.boolean().optional(),
    p_max_attempts: z.number().int().optional(),
  }),
  z.object({ updated: z.boolean(), status: z.string().optional(), attempts: z.number().int().optional(), next_attempt_at: z.string().optional() }),
);
export const fnEmailEnqueue = defineFunction(
  "email_enqueue",
  z.object({ p_to: z.string(), p_locale: z.string(), p_data: z.record(z.string(), z.unknown()), p_dedupe_key: z.string().optional() }),
  z.object({ id: z.uuid(), queued: z.boolean() }),
);
export const fnEmailApprovalDigest = defineFunction(
  "jobs_email_queue_approval_digest",
  z.object({ p_day: z.string().optional() }),
  z.object({ queued: z.number().int(), day: z.string() }),
);
export const outboxStatus = z.object({
  pending: z.number().int(),
  failed: z.number().int(),
  sent_24h: z.number().int(),
  oldest_pending_at: z.string().nullable(),
  last_error: z.string().nullable(),
});
export type OutboxStatus = z.infer<typeof outboxStatus>;
export const fnEmailOutboxStatus = defineFunction("jobs_email_outbox_status", z.object({}), outboxStatus);

/**
 * Queues an operations email (an alert to the on-call address). It is sent by the next delivery
 * run, with retries; a repeated `dedupeKey` queues nothing more. `data.subject` and `data.text`
 * are the message; `data.url`, if given, is the link (default: /admin/status).
 */
export function queueEmail(input: {
  to: string;
  template: "ops_alert";
  locale: "ko" | "zh" | "en";
  data: { subject: string; text: string; url?: string } & Record<string, unknown>;
  dedupeKey?: string;
}) {
  return call(fnEmailEnqueue, { p_to: input.to, p_locale: input.locale, p_data: input.data, p_dedupe_key: input.dedupeKey }, service);
}

/** Queues today's approval digests (once per person and Seoul day, however often it runs). */
export function queueApprovalDigests(day?: string) {
  return call(fnEmailApprovalDigest, { p_day: day }, service);
}

/** Counts for the status page: waiting, failed for good, sent in the last day. */
export function emailOutboxStatus() {
  return call(fnEmailOutboxStatus, {}, service);
}
