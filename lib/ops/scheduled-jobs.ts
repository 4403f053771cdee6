// The jobs Vercel Cron runs (vercel.json: /api/cron/<name>), by the name each records its runs
// under (public.ops_job_runs). The status page lists each of them, also one with no run yet.
export const SCHEDULED_JOBS = ["alerts", "approval-digest", "audit-retention", "email", "idempotency-prune", "low-stock-digest"] as const;
export type ScheduledJob = (typeof SCHEDULED_JOBS)[number];

// The jobs that run once a day: each prunes or sends something, so one that stops succeeding lets
// tables grow or notices wait; the stale_jobs alert rule (lib/ops/alerts.ts) watches them.
export const DAILY_JOBS = ["approval-digest", "audit-retention", "idempotency-prune", "low-stock-digest"] as const satisfies readonly ScheduledJob[];
