import "server-only";
import { createHash } from "node:crypto";
import { hitRateLimit, recordLoginFailure, refundRateLimit, type RateLimitResult } from "@/lib/data/rate-limits";
import type { Actor, RequestCount } from "@/lib/auth";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { clientAddress } from "./client-address";

export { clientAddress };

// The app's rate limits (docs/security.md): sign-in per client address, per email and address, and
// per email; reads per user and per address; writes per user. Counters live in Postgres, so they
// hold across serverless instances.

const WINDOW_SECONDS = 60;

/**
 * What an export (or any request that reads far more than one page) counts as, in reads: a list
 * route's `?format=` export weighs this unless its export spec says otherwise (requestCost in
 * lib/export/spec.ts); another heavy read gives it as `cost` in the handler spec.
 */
export const EXPORT_READ_COST = 20;

/** 429 rate_limited; the handler turns details.retry_after into a Retry-After header. */
export function rateLimited(retryAfter: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfter));
  return new AppError("rate_limited", `Too many requests. Try again in ${seconds} seconds.`, { retry_after: seconds });
}

/** The Retry-After value of a rate_limited error's details, if it has one. */
export function retryAfterOf(details: unknown): number | null {
  if (details && typeof details === "object" && "retry_after" in details) {
    const v = (details as { retry_after: unknown }).retry_after;
    if (typeof v === "number" && Number.isFinite(v) && v > 0) return Math.ceil(v);
  }
  return null;
}

const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * What authenticate() should count for this request, or undefined when its limit is off. Reads
 * (GET, HEAD) count `cost` in the user's read bucket and, when the client's address is known, in
 * the address's; other methods count one write in the user's bucket. The hit is made in the same
 * database call that loads the profile (public.me_counting); enforceRequestLimit then judges it.
 */
export function requestCount(req: Request, cost = 1): RequestCount | undefined {
  const e = env();
  if (req.method === "OPTIONS") return undefined;
  if (!READ_METHODS.has(req.method)) {
    const limit = e.RATE_LIMIT_WRITES_PER_MINUTE;
    return limit === 0 ? undefined : { kind: "write", limit, windowSeconds: WINDOW_SECONDS, cost: 1, addressLimit: 0 };
  }
  const limit = e.RATE_LIMIT_READS_PER_MINUTE;
  if (limit === 0) return undefined;
  const addressLimit = e.RATE_LIMIT_READS_PER_ADDRESS_PER_MINUTE;
  // An unknown address is not one shared bucket here: that would be one limit for everyone.
  const address = addressLimit === 0 ? null : clientAddress(req.headers);
  // The database accepts a cost of 1 to 100 (an export is 20).
  const weight = Math.min(Math.max(Math.round(cost), 1), 100);
  return { kind: "read", limit, windowSeconds: WINDOW_SECONDS, cost: weight, address: address ?? undefined, addressLimit: address ? addressLimit : 0 };
}

/** Throws 429 when the request's counted hit is over the user's or the address's limit. */
export function enforceRequestLimit(actor: Pick<Actor, "id" | "requestHit">): void {
  const hit = actor.requestHit;
  for (const [scope, result] of [["user", hit?.rate], ["address", hit?.address]] as const) {
    if (!result || result.allowed) continue;
    // The first refusal of a window is worth a log line; later ones would only flood the log.
    if (result.hits - (hit?.cost ?? 1) <= result.limit) log.warn("rate_limit.refused", { userId: actor.id, scope, limit: result.limit });
    throw rateLimited(result.reset_in);
  }
}

// Hashed: the table holds no email addresses.
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const normalEmail = (email: string) => email.trim().toLowerCase();

export type LoginAttempt = {
  /** The sign-in succeeded: give the attempt back, so only failures count. */
  succeeded(): Promise<void>;
  /** The sign-in failed: record the security event (the attempt stays counted). */
  failed(reason: "invalid_credentials" | "account_disabled"): Promise<void>;
};

/**
 * Counts a sign-in attempt before the password is checked (so parallel guesses are counted too)
 * and refuses it when a bucket is over its limit: the client address (failures from one place,
 * whatever the email), the email and address pair (guesses at one account from one place: a
 * stranger's failures never lock the owner out at their own address) and the email alone, with a
 * higher ceiling (guesses at one account from many places). A successful sign-in is given back: in
 * effect every limit counts failed attempts. Without a trusted address every client shares the
 * address "unknown" (docs/security.md).
 */
export async function beginLoginAttempt(email: string, address: string | null): Promise<LoginAttempt> {
  const e = env();
  const where = address ?? "unknown";
  const buckets: string[] = [];
  const check = async (bucket: string, limit: number) => {
    if (limit === 0) return;
    const result: RateLimitResult = await hitRateLimit(bucket, limit, WINDOW_SECONDS);
    buckets.push(bucket);
    if (result.allowed) return;
    // The first refusal of a window is a security event; later ones would only flood the log.
    if (result.hits === limit + 1) await recordLoginFailure(email, address, "rate_limited");
    throw rateLimited(result.reset_in);
  };
  await check(`login:ip:${where}`, e.RATE_LIMIT_LOGIN_IP_PER_MINUTE);
  await check(`login:email-ip:${sha256(`${normalEmail(email)}\n${where}`)}`, e.RATE_LIMIT_LOGIN_EMAIL_IP_PER_MINUTE);
  await check(`login:email:${sha256(normalEmail(email))}`, e.RATE_LIMIT_LOGIN_EMAIL_PER_MINUTE);
  return {
    async succeeded() {
      for (const bucket of buckets) await refundRateLimit(bucket);
    },
    async failed(reason) {
      await recordLoginFailure(email, address, reason);
    },
  };
}
