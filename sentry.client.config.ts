import type * as SentryModule from "@sentry/nextjs";

// Sentry in the browser, loaded by instrumentation-client.ts. No NEXT_PUBLIC_SENTRY_DSN (inlined
// at build time): neither the SDK nor the options code (and the zod it validates with) is ever
// downloaded; both are separate chunks, fetched only when a DSN is set. No Session Replay: it
// would record what is on screen (names, emails, stock).

/** The initialised browser SDK, or undefined when monitoring is off. */
export const sentry: Promise<typeof SentryModule | undefined> | undefined = process.env.NEXT_PUBLIC_SENTRY_DSN
  ? Promise.all([import("@sentry/nextjs"), import("./lib/observability/sentry-options")]).then(([Sentry, { browserSentryOptions }]) => {
      const options = browserSentryOptions();
      if (!options) return undefined;
      Sentry.init(options);
      return Sentry;
    })
  : undefined;
