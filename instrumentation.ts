import type { captureRequestError } from "@sentry/nextjs";
import { activeSentry } from "./lib/observability/report";

// Runs once when the server starts. Opening the database here (embedded: migrate and, on first
// start, seed) means the first request does not pay for it and /health/ready turns green as
// soon as the app can serve.
export async function register() {
  // NEXT_RUNTIME is set by Next.js itself, not by configuration.
  // Sentry first, so that a failure while opening the database is reported too (no DSN: no-op).
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./sentry.server.config")).ready;
  if (process.env.NEXT_RUNTIME === "edge") await (await import("./sentry.edge.config")).ready;
  // The edge runtime has no database.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getTransport } = await import("./lib/db");
  const { log } = await import("./lib/log");
  // `next start` only: a quick, clean stop on SIGTERM/SIGINT (lib/shutdown.ts). The dev server's
  // own handler already closes connections at once, and it restarts itself through signals.
  if ((await import("./lib/env")).env().NODE_ENV === "production") (await import("./lib/shutdown")).installShutdown();
  getTransport().catch((error: unknown) => {
    log.error("database.open_failed", { error: error instanceof Error ? error.message : String(error) });
    activeSentry()?.captureException(error);
  });
}

// Errors Next.js catches itself (server components, pages, server actions, route handlers that
// throw past our wrapper) go to Sentry with the request's context; scrubbed by beforeSend.
export function onRequestError(...args: Parameters<typeof captureRequestError>) {
  return activeSentry()?.captureRequestError(...args);
}
