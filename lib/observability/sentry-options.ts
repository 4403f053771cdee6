import { publicEnv, type PublicEnv } from "@/lib/public-env";
import { scrubBreadcrumb, scrubEvent, scrubTraceContextIntegration } from "./scrub";

// The Sentry options of every runtime, built from the validated environment: the browser's here
// (sentry.client.config.ts), the server's and edge's in ./sentry-server-options.ts, which reads
// the server environment and must stay out of the client bundle. No DSN: undefined, and the
// config files then never call Sentry.init, so nothing is collected or sent.

export type MonitoringSettings = {
  dsn: string | undefined;
  environment: string;
  release: string | undefined;
  sampleRate: number;
  tracesSampleRate: number;
};

export function sentryOptions(s: MonitoringSettings) {
  if (!s.dsn) return undefined;
  return {
    dsn: s.dsn,
    environment: s.environment,
    release: s.release,
    sampleRate: s.sampleRate,
    tracesSampleRate: s.tracesSampleRate,
    // No IP addresses, cookies, request bodies or user details from the SDK itself; what is left
    // is scrubbed before it leaves (lib/observability/scrub.ts).
    sendDefaultPii: false,
    // Transactions are sent whole, with their spans, so that beforeSendTransaction sees (and
    // scrubs) every span. SDK 11 streams spans by default and would skip it. Moving to streaming
    // means scrubbing in beforeSendSpan instead (beforeSendTransaction goes away in SDK 12).
    traceLifecycle: "static" as const,
    beforeSend: scrubEvent,
    beforeSendTransaction: scrubEvent,
    beforeBreadcrumb: scrubBreadcrumb,
    // Added to the SDK's default integrations.
    integrations: [scrubTraceContextIntegration()],
  };
}

/** The browser: only what Next.js inlines into the client bundle. */
export function browserSentryOptions(e: PublicEnv = publicEnv()) {
  return sentryOptions({
    dsn: e.NEXT_PUBLIC_SENTRY_DSN,
    environment: e.NEXT_PUBLIC_VERCEL_ENV ?? (e.NODE_ENV === "production" ? "production" : "development"),
    release: e.DULY_BUILD_COMMIT,
    sampleRate: 1,
    tracesSampleRate: e.NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE,
  });
}
