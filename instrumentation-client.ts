// First, before any module below parses anything (imports run in order).
import "./lib/zod-jitless";
import type { captureRouterTransitionStart } from "@sentry/nextjs";
import { sentry } from "./sentry.client.config";

// Runs in the browser before the app hydrates. Navigation spans reach Sentry only when the
// client was initialised (otherwise this hook does nothing).
export function onRouterTransitionStart(...args: Parameters<typeof captureRouterTransitionStart>) {
  void sentry?.then((Sentry) => Sentry.captureRouterTransitionStart(...args));
}
