// The group a request's metrics are counted under: the API resource (`v1:items`), or the area
// (`health`, `cron`, `api`). Few groups, so the metrics table keeps one row per minute and group.

const SAFE = /^[a-z0-9_-]{1,40}$/;

export function routeGroup(pathname: string): string {
  const parts = pathname.split("/").filter(Boolean);
  if (parts[0] === "healthz" || parts[0] === "health" || (parts[0] === "api" && parts[1] === "health")) return "health";
  if (parts[0] !== "api") return "other";
  if (parts[1] === "cron") return "cron";
  if (parts[1] === "v1") {
    const resource = parts[2] ?? "root";
    return SAFE.test(resource) ? `v1:${resource}` : "v1:other";
  }
  return "api";
}

/** Upper bounds (ms) of the histogram's first nine buckets, as private.ops_histogram_bounds() says. */
export const HISTOGRAM_BOUNDS = [50, 100, 250, 500, 1000, 2000, 3000, 5000, 10000] as const;

export function bucketOf(ms: number): number {
  const i = HISTOGRAM_BOUNDS.findIndex((bound) => ms <= bound);
  return i === -1 ? HISTOGRAM_BOUNDS.length : i;
}

/**
 * The 95th percentile from a histogram, as the upper bound of the bucket it falls in (the last
 * bucket has none: reported as its lower bound). null without requests.
 */
export function p95FromHistogram(histogram: readonly number[]): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil(total * 0.95);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= rank) return HISTOGRAM_BOUNDS[i] ?? HISTOGRAM_BOUNDS[HISTOGRAM_BOUNDS.length - 1];
  }
  return HISTOGRAM_BOUNDS[HISTOGRAM_BOUNDS.length - 1];
}
