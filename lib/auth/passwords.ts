import "server-only";
import { env } from "@/lib/env";
import { hitRateLimit } from "@/lib/data/rate-limits";
import { rateLimited } from "@/lib/http/rate-limit";
import { authPort } from "./index";
import type { SignInResult } from "./types";

// What the password routes share: their own rate limits, and signing the user in again after a
// change (the change ended every session of theirs, the one in use included).

const WINDOW_SECONDS = 60;

/**
 * Counts one attempt in a bucket with the sign-in limit per client address (a reset link guessed
 * at, an admin resetting in a loop) and refuses it past the limit.
 */
export async function limitPasswordAttempt(bucket: string): Promise<void> {
  const limit = env().RATE_LIMIT_LOGIN_IP_PER_MINUTE;
  if (limit === 0) return;
  const result = await hitRateLimit(`password:${bucket}`, limit, WINDOW_SECONDS);
  if (!result.allowed) throw rateLimited(result.reset_in);
}

/** A fresh session with the new password, so the user who changed it stays signed in here. */
export async function signInAgain(email: string, password: string, secure: boolean): Promise<SignInResult | null> {
  return authPort().signIn(email, password, secure);
}
