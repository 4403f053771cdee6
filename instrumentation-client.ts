import type { captureRouterTransitionStart } from "@sentry/nextjs";
import { sentry } from "./sentry.client.config";

// Runs in the browser before the app hydrates, on every page: it imports nothing heavy (zod is
// set up where forms import it, lib/zod.ts; Sentry only loads when configured). Navigation spans
// reach Sentry only when the client was initialised (otherwise this hook does nothing).
export function onRouterTransitionStart(...args: Parameters<typeof captureRouterTransitionStart>) {
  void sentry?.then((Sentry) => Sentry?.captureRouterTransitionStart(...args));
}
