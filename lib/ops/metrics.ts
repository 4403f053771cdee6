import "server-only";
import { after } from "next/server";
import { z } from "zod";
import { call, defineFunction, service } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { bucketOf, HISTOGRAM_BOUNDS, routeGroup } from "./route-group";

// Request metrics: the route wrapper counts each answer here, in memory, per minute and route
// group; the counts reach Postgres (public.request_metrics) as one batched call of upserts after
// the response has gone (next/server's after(), which also keeps a serverless function alive
// until it is done), at most every FLUSH_EVERY_MS, or by a timer. A request never waits on it,
// and a failing flush only loses those counts (logged), never a request.

export const fnMetricsRecord = defineFunction("ops_metrics_record", z.object({ p_rows: z.array(z.unknown()) }), z.number().int());

type Bucket = {
  minute: string;
  route_group: string;
  requests: number;
  errors_4xx: number;
  errors_5xx: number;
  duration_ms_sum: number;
  histogram: number[];
};

const FLUSH_EVERY_MS = 10_000;
const MAX_BUCKETS = 500;

const state = globalThis as unknown as {
  __dulyMetrics?: { buckets: Map<string, Bucket>; lastFlush: number; timer?: ReturnType<typeof setTimeout>; flushing?: Promise<void> };
};

function store() {
  state.__dulyMetrics ??= { buckets: new Map(), lastFlush: Date.now() };
  return state.__dulyMetrics;
}

export function metricsEnabled(): boolean {
  return env().OPS_METRICS === "on";
}

/** Counts one answered request. Cheap: a map update; the flush is scheduled, never awaited. */
export function recordRequest(pathname: string, status: number, ms: number, now = Date.now()): void {
  if (!metricsEnabled()) return;
  const s = store();
  const minute = new Date(Math.floor(now / 60_000) * 60_000).toISOString();
  const group = routeGroup(pathname);
  const key = `${minute} ${group}`;
  let bucket = s.buckets.get(key);
  if (!bucket) {
    // A flood of groups (it cannot happen with routeGroup, but the memory must stay bounded).
    if (s.buckets.size >= MAX_BUCKETS) return;
    bucket = { minute, route_group: group, requests: 0, errors_4xx: 0, errors_5xx: 0, duration_ms_sum: 0, histogram: new Array(HISTOGRAM_BOUNDS.length + 1).fill(0) };
    s.buckets.set(key, bucket);
  }
  bucket.requests++;
  if (status >= 500) bucket.errors_5xx++;
  else if (status >= 400) bucket.errors_4xx++;
  bucket.duration_ms_sum += Math.max(0, Math.round(ms));
  bucket.histogram[bucketOf(ms)]++;
  scheduleFlush(now);
}

function scheduleFlush(now: number): void {
  const s = store();
  if (now - s.lastFlush >= FLUSH_EVERY_MS) {
    s.lastFlush = now;
    try {
      // Runs after the response is sent; outside a request (scripts, tests) after() throws.
      after(() => flushMetrics());
      return;
    } catch {
      // fall through to the timer
    }
  }
  if (!s.timer) {
    s.timer = setTimeout(() => {
      store().timer = undefined;
      void flushMetrics();
    }, FLUSH_EVERY_MS);
    s.timer.unref?.();
  }
}

/** Writes what has been counted (one call; the database adds rows of the same minute and group). */
export async function flushMetrics(): Promise<number> {
  const s = store();
  if (s.flushing) await s.flushing;
  if (s.buckets.size === 0) return 0;
  const rows = [...s.buckets.values()];
  s.buckets = new Map();
  s.lastFlush = Date.now();
  let written = 0;
  s.flushing = (async () => {
    try {
      written = await call(fnMetricsRecord, { p_rows: rows }, service);
    } catch (error) {
      log.warn("ops.metrics_flush_failed", { rows: rows.length, error: error instanceof Error ? error.message : String(error) });
    }
  })();
  await s.flushing;
  s.flushing = undefined;
  return written;
}

/** Forget what was counted and not written (tests). */
export function resetMetrics(): void {
  const s = store();
  if (s.timer) clearTimeout(s.timer);
  state.__dulyMetrics = { buckets: new Map(), lastFlush: Date.now() };
}
