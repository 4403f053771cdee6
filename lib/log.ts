import { env } from "@/lib/env";
import { scrub } from "@/lib/observability/scrub";

// Structured JSON logs, one line per event, readable in Vercel's log view. Never log emails,
// passwords or tokens: callers pass ids. Every line is scrubbed all the same (the same rules as
// Sentry's), because error messages from libraries and the database may quote what they were given.

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function threshold(): number {
  try {
    return ORDER[env().LOG_LEVEL];
  } catch {
    // Logging must still work when the environment itself is invalid (that is worth logging).
    return ORDER.info;
  }
}

function write(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < threshold()) return;
  const line = JSON.stringify(scrub({ level, time: new Date().toISOString(), event, ...fields }));
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export const log = {
  debug: (event: string, fields?: Record<string, unknown>) => write("debug", event, fields),
  info: (event: string, fields?: Record<string, unknown>) => write("info", event, fields),
  warn: (event: string, fields?: Record<string, unknown>) => write("warn", event, fields),
  error: (event: string, fields?: Record<string, unknown>) => write("error", event, fields),
};
