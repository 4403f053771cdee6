import * as Sentry from "@sentry/nextjs";
import "./sentry.client.config";

// Runs in the browser before the app hydrates. Navigation spans reach Sentry only when the
// client was initialised (otherwise this hook does nothing).
export const onRouterTransitionStart = Sentry.captureRouterTransitionStart;
