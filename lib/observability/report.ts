import * as Sentry from "@sentry/nextjs";

// Reporting unexpected errors to Sentry. Without a DSN there is no Sentry client, and these do
// nothing at all.

/** Unexpected (500) errors of a route handler, with the user's id and the request id only. */
export function reportError(error: unknown, context: { requestId: string; userId?: string | null; route?: string }): void {
  if (!Sentry.getClient()) return;
  try {
    Sentry.withScope((scope) => {
      scope.setUser(context.userId ? { id: context.userId } : null);
      scope.setTag("request_id", context.requestId);
      if (context.route) scope.setTag("route", context.route);
      Sentry.captureException(error);
    });
  } catch {
    // Monitoring must never turn a handled error into another one.
  }
}

/** The signed-in user of this request, as Sentry sees it: the id and nothing else. */
export function setMonitoringUser(userId: string | null | undefined): void {
  if (!Sentry.getClient()) return;
  Sentry.setUser(userId ? { id: userId } : null);
}
