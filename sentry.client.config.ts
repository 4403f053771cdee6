import * as Sentry from "@sentry/nextjs";
import { browserSentryOptions } from "./lib/observability/sentry-options";

// Sentry in the browser, loaded by instrumentation-client.ts. No NEXT_PUBLIC_SENTRY_DSN: not
// initialised. No Session Replay: it would record what is on screen (names, emails, stock).
const options = browserSentryOptions();
if (options) Sentry.init(options);
