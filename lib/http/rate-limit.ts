import "server-only";
import { createHash } from "node:crypto";
import { hitRateLimit, recordLoginFailure, refundRateLimit, type RateLimitResult } from "@/lib/data/rate-limits";
import type { WriteCount } from "@/lib/auth";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

// The app's rate limits (docs/security.md): sign-in per client address and per email, writes per
// user. Counters live in Postgres, so they hold across serverless instances.

const WINDOW_SECONDS = 60;

/**
 * The client's address as the platform reports it. Vercel sets x-real-ip and x-forwarded-for
 * itself (a client's own value is overwritten); `next start` fills x-forwarded-for from the socket
 * when no proxy did. Self-hosted behind no proxy, a client can choose it: the per-email limit
 * holds regardless.
 */
export function clientIp(headers: Headers): string | null {
  const real = headers.get("x-real-ip")?.trim();
  if (real) return real.slice(0, 64);
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded ? forwarded.slice(0, 64) : null;
}

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

/**
 * Write requests (anything but GET/HEAD/OPTIONS) per signed-in user: what authenticate() should
 * count, or undefined when the limit is off. The hit is made in the same database call that
 * loads the profile (public.me_counting_write); enforceWriteLimit then judges it.
 */
export function writeCount(): WriteCount | undefined {
  const limit = env().RATE_LIMIT_WRITES_PER_MINUTE;
  return limit === 0 ? undefined : { limit, windowSeconds: WINDOW_SECONDS };
}

/** Throws 429 when the request's counted write is over the limit. */
export function enforceWriteLimit(userId: string, result: RateLimitResult | undefined): void {
  if (!result || result.allowed) return;
  if (result.hits === result.limit + 1) log.warn("rate_limit.writes", { userId, limit: result.limit });
  throw rateLimited(result.reset_in);
}

function emailBucket(email: string): string {
  // Hashed: the table holds no email addresses.
  return `login:email:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
}

export type LoginAttempt = {
  /** The sign-in succeeded: give the attempt back, so only failures count. */
  succeeded(): Promise<void>;
  /** The sign-in failed: record the security event (the attempt stays counted). */
  failed(reason: "invalid_credentials" | "account_disabled"): Promise<void>;
};

/**
 * Counts a sign-in attempt against the client address and the email before the password is
 * checked (so parallel guesses are counted too), and refuses it when either is over its limit.
 * A successful sign-in is given back: in effect both limits count failed attempts, and a person
 * who signs in often from one office address never meets them.
 */
export async function beginLoginAttempt(email: string, ip: string | null): Promise<LoginAttempt> {
  const e = env();
  const buckets: string[] = [];
  const check = async (bucket: string, limit: number) => {
    if (limit === 0) return;
    const result: RateLimitResult = await hitRateLimit(bucket, limit, WINDOW_SECONDS);
    buckets.push(bucket);
    if (result.allowed) return;
    // The first refusal of a window is a security event; later ones would only flood the log.
    if (result.hits === limit + 1) await recordLoginFailure(email, ip, "rate_limited");
    throw rateLimited(result.reset_in);
  };
  await check(`login:ip:${ip ?? "unknown"}`, e.RATE_LIMIT_LOGIN_IP_PER_MINUTE);
  await check(emailBucket(email), e.RATE_LIMIT_LOGIN_EMAIL_PER_MINUTE);
  return {
    async succeeded() {
      for (const bucket of buckets) await refundRateLimit(bucket);
    },
    async failed(reason) {
      await recordLoginFailure(email, ip, reason);
    },
  };
}
