import "server-only";
import { z } from "zod";
import { call, defineFunction, service } from "@/lib/db";

// Request counters in Postgres (supabase/migrations/20261122000800_rate_limits.sql), so a limit
// holds across every server instance. Only the service role may count: a bucket is the server's
// choice, never the caller's.

export const rateLimitResult = z.object({
  allowed: z.boolean(),
  hits: z.number().int(),
  limit: z.number().int(),
  remaining: z.number().int(),
  /** Whole seconds until the window resets. */
  reset_in: z.number().int(),
});
export type RateLimitResult = z.infer<typeof rateLimitResult>;

export const fnRateLimitHit = defineFunction(
  "rate_limit_hit",
  z.object({ p_bucket: z.string().min(1).max(200), p_limit: z.number().int().min(1), p_window_seconds: z.number().int().min(1).max(86_400) }),
  rateLimitResult,
);
export const fnRateLimitRefund = defineFunction("rate_limit_refund", z.object({ p_bucket: z.string().min(1).max(200) }), z.unknown());

export const LOGIN_FAILURE_REASONS = ["invalid_credentials", "account_disabled", "rate_limited"] as const;
export const fnLoginFailureRecord = defineFunction(
  "login_failure_record",
  z.object({ p_email: z.string().min(1), p_ip: z.string().max(64).optional(), p_reason: z.enum(LOGIN_FAILURE_REASONS) }),
  z.unknown(),
);

/** Counts one hit in the bucket and says whether it is within `limit` per `windowSeconds`. */
export function hitRateLimit(bucket: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  return call(fnRateLimitHit, { p_bucket: bucket, p_limit: limit, p_window_seconds: windowSeconds }, service);
}

/** Gives one hit back to the bucket (within its current window). */
export async function refundRateLimit(bucket: string): Promise<void> {
  await call(fnRateLimitRefund, { p_bucket: bucket }, service);
}

/** A failed sign-in, as a security event in the audit log. */
export async function recordLoginFailure(email: string, ip: string | null, reason: (typeof LOGIN_FAILURE_REASONS)[number]): Promise<void> {
  await call(fnLoginFailureRecord, { p_email: email, p_ip: ip ?? undefined, p_reason: reason }, service);
}
