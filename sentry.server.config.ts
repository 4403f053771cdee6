import * as Sentry from "@sentry/nextjs";
import { serverSentryOptions } from "./lib/observability/sentry-server-options";

// Sentry for the Node.js server runtime, loaded by instrumentation.ts. No DSN: not initialised.
const options = serverSentryOptions();
if (options) Sentry.init(options);
