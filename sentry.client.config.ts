import type * as SentryModule from "@sentry/nextjs";
import { browserSentryOptions } from "./lib/observability/sentry-options";

// Sentry in the browser, loaded by instrumentation-client.ts. No NEXT_PUBLIC_SENTRY_DSN: the SDK
// is never downloaded (it is a separate chunk). No Session Replay: it would record what is on
// screen (names, emails, stock).
const options = browserSentryOptions();

/** The initialised browser SDK, or undefined when monitoring is off. */
export const sentry: Promise<typeof SentryModule> | undefined = options
  ? import("@sentry/nextjs").then((Sentry) => {
      Sentry.init(options);
      return Sentry;
    })
  : undefined;
