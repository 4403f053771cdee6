import "server-only";
import { closeTransport } from "@/lib/db";
import { closeAllStreams } from "@/lib/http/sse";
import { log } from "@/lib/log";
import { activeSentry } from "@/lib/observability/report";
import { messageHub } from "@/lib/realtime/message-hub";

// A quick, clean stop on SIGTERM/SIGINT (docs/operations.md, "Shutdown"). Next.js's own handler
// stops listening and then waits for every open connection to end: a message stream lasts up to
// ten minutes, so the server lingered that long, and it never closed the embedded database.
// Instead: end the streams, stop the realtime source, close the database (PGlite writes its files)
// and exit, with a hard deadline in case anything hangs.

/** The latest moment the process exits after the signal, whatever is still running. */
export const SHUTDOWN_DEADLINE_MS = 4500;

const EXIT_CODES = { SIGTERM: 143, SIGINT: 130 } as const;
type Signal = keyof typeof EXIT_CODES;

let stopping = false;

async function shutdown(signal: Signal): Promise<void> {
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  const code = EXIT_CODES[signal];
  setTimeout(() => {
    log.error("shutdown.deadline", { signal, ms: Date.now() - started });
    process.exit(code);
  }, SHUTDOWN_DEADLINE_MS).unref();
  const streams = closeAllStreams();
  const steps = await Promise.allSettled([
    messageHub().stop(),
    // Reported errors still in Sentry's queue (no DSN: nothing to send).
    activeSentry()?.flush(1500),
  ]);
  // The database last: the streams' reads and the hub's listener are done with it.
  const closed = await closeTransport().then(
    () => true,
    (error: unknown) => (log.error("shutdown.database_close_failed", { error: error instanceof Error ? error.message : String(error) }), false),
  );
  log.info("shutdown", { signal, streams, databaseClosed: closed, failedSteps: steps.filter((s) => s.status === "rejected").length, ms: Date.now() - started });
  process.exit(code);
}

/** Replaces the signal handlers Next.js installed (production server only; once per process). */
export function installShutdown(): void {
  const holder = globalThis as unknown as { __dulyShutdownInstalled?: boolean };
  if (holder.__dulyShutdownInstalled) return;
  holder.__dulyShutdownInstalled = true;
  for (const signal of Object.keys(EXIT_CODES) as Signal[]) {
    process.removeAllListeners(signal);
    // Once: a second Ctrl-C gets the default action and ends the process at once.
    process.once(signal, () => void shutdown(signal));
  }
}
