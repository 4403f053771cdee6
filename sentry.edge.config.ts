import { registerSentry } from "./lib/observability/report";
import { serverSentryOptions } from "./lib/observability/sentry-server-options";

// Sentry for the edge runtime (proxy.ts), loaded by instrumentation.ts. No DSN: not imported.
export const ready: Promise<void> = (async () => {
  const options = serverSentryOptions();
  if (!options) return;
  const Sentry = await import("@sentry/nextjs");
  Sentry.init(options);
  registerSentry(Sentry);
})();
