import "@/lib/zod-setup";
import { z } from "zod";

// The environment as the browser bundle may know it: Next.js inlines these NEXT_PUBLIC_ (and
// build-time) names where they are written out literally. Kept apart from lib/env.ts so that the
// client bundle never includes the server's schema (the names of its secrets).

export const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

// A Sentry sample rate, 0 to 1; empty means the default.
export const sampleRate = (fallback: number) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().min(0).max(1).default(fallback));

// What the browser bundle may know (Next.js inlines these names where they are written out).
export const publicSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  NEXT_PUBLIC_SENTRY_DSN: optionalString.pipe(z.url().optional()),
  NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: sampleRate(0.1),
  NEXT_PUBLIC_VERCEL_ENV: optionalString,
  DULY_BUILD_COMMIT: optionalString,
});

export type PublicEnv = z.infer<typeof publicSchema>;

/**
 * The environment as the browser sees it. Never throws: the server has already refused to start
 * on a bad value, and a browser must not break over monitoring settings (it runs without them).
 */
export function publicEnv(): PublicEnv {
  const input = {
    NODE_ENV: process.env.NODE_ENV,
    NEXT_PUBLIC_SENTRY_DSN: process.env.NEXT_PUBLIC_SENTRY_DSN,
    NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: process.env.NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE,
    NEXT_PUBLIC_VERCEL_ENV: process.env.NEXT_PUBLIC_VERCEL_ENV,
    DULY_BUILD_COMMIT: process.env.DULY_BUILD_COMMIT,
  };
  const parsed = publicSchema.safeParse(input);
  return parsed.success ? parsed.data : publicSchema.parse({});
}
