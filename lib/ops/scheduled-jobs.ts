// The jobs Vercel Cron runs (vercel.json: /api/cron/<name>), by the name each records its runs
// under (public.ops_job_runs). The status page lists each of them, also one with no run yet.
export const SCHEDULED_JOBS = ["alerts", "approval-digest", "audit-retention", "email", "idempotency-prune", "low-stock-digest"] as const;
export type ScheduledJob = (typeof SCHEDULED_JOBS)[number];
