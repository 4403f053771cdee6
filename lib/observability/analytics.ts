import "server-only";
import { track } from "@vercel/analytics/server";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

// Server-side custom events for Vercel Web Analytics (docs/monitoring.md). They carry record ids,
// kinds and counts only: never a name, email, address or free text. Tracking never fails or slows
// a request: it is not awaited, every error is swallowed and logged, and off Vercel (no endpoint)
// nothing is sent at all.

export type AnalyticsEvents = {
  flow_committed: { flow_id: string; kind: string; lines: number };
  inspection_submitted: { inspection_id: string; inspection_type: string };
};

// Only what Vercel needs to attribute the event to a device class and page; no cookie (it holds
// the session token) and no client address.
const FORWARDED_HEADERS = ["user-agent", "referer"];

export function trackEvent<N extends keyof AnalyticsEvents>(name: N, properties: AnalyticsEvents[N], req: Request): Promise<void> {
  const e = env();
  if (!e.VERCEL_URL && !e.VERCEL_WEB_ANALYTICS_ENDPOINT) return Promise.resolve();
  const headers: Record<string, string> = {};
  for (const key of FORWARDED_HEADERS) {
    const value = req.headers.get(key);
    // A referring page's query may hold search terms; its path is enough.
    if (value) headers[key] = value.replace(/[?#].*$/, "");
  }
  return Promise.resolve()
    .then(() => track(name, properties, { headers }))
    .catch((error: unknown) => {
      log.warn("analytics.track_failed", { event: name, error: error instanceof Error ? error.message : String(error) });
    });
}
