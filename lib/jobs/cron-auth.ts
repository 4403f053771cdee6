import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { bearerToken } from "@/lib/auth/types";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

// Vercel Cron calls the job routes with `Authorization: Bearer $CRON_SECRET`. Anyone else on the
// internet can reach the same URLs, so without the secret configured nothing runs at all.

function digest(value: string): Buffer {
  // Hash first so the comparison takes the same time whatever the lengths.
  return createHash("sha256").update(value).digest();
}

/** Throws 401 unless the request carries the configured cron secret. */
export function requireCronSecret(req: Request): void {
  const secret = env().CRON_SECRET;
  const given = bearerToken(req.headers.get("authorization"));
  if (!secret || !given || !timingSafeEqual(digest(given), digest(secret))) {
    throw new AppError("unauthorized", "This endpoint is for the scheduler only");
  }
}
