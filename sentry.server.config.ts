import { registerSentry } from "./lib/observability/report";
import { serverSentryOptions } from "./lib/observability/sentry-server-options";

// Sentry for the Node.js server runtime, loaded by instrumentation.ts. No DSN: the SDK is not even
// imported (it would cost ~35 MB and ~0.2 s at every start for nothing).
export const ready: Promise<void> = (async () => {
  const options = serverSentryOptions();
  if (!options) return;
  const Sentry = await import("@sentry/nextjs");
  Sentry.init(options);
  registerSentry(Sentry);
})();
