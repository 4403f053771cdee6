import type * as SentryModule from "@sentry/nextjs";

// Reporting unexpected errors to Sentry. The SDK is loaded only when a DSN is configured
// (sentry.server.config.ts registers it here once initialised); without one these do nothing and
// the SDK is never even imported, so it costs no memory or start-up time.

type Sentry = typeof SentryModule;
// A global slot, not a module variable: Next.js may load this module once per server bundle
// (instrumentation, each route), and all of them must see the one initialised SDK.
const SLOT = Symbol.for("duly.sentry");
const slot = globalThis as typeof globalThis & { [SLOT]?: Sentry };

/** Called by the runtime's Sentry config after Sentry.init. */
export function registerSentry(sentry: Sentry): void {
  slot[SLOT] = sentry;
}

/** The initialised SDK, or undefined when monitoring is off. */
export function activeSentry(): Sentry | undefined {
  const sentry = slot[SLOT];
  return sentry?.getClient() ? sentry : undefined;
}

/**
 * Unexpected (500) errors of a route handler, with the user's id and the request id only; or an
 * incident that is no one request's (a database outage starting), without them.
 */
export function reportError(error: unknown, context: { requestId?: string; userId?: string | null; route?: string }): void {
  const Sentry = activeSentry();
  if (!Sentry) return;
  try {
    Sentry.withScope((scope) => {
      scope.setUser(context.userId ? { id: context.userId } : null);
      if (context.requestId) scope.setTag("request_id", context.requestId);
      if (context.route) scope.setTag("route", context.route);
      Sentry.captureException(error);
    });
  } catch {
    // Monitoring must never turn a handled error into another one.
  }
}

/** The signed-in user of this request, as Sentry sees it: the id and nothing else. */
export function setMonitoringUser(userId: string | null | undefined): void {
  activeSentry()?.setUser(userId ? { id: userId } : null);
}
