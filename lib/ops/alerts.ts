import "server-only";
import { z } from "zod";
import { call, defineFunction, service } from "@/lib/db";
import { deploymentEnv, env, type Env } from "@/lib/env";
import { postToSlack, type RetryOptions } from "@/lib/jobs/slack";
import { log } from "@/lib/log";
import { queueOncallEmail } from "./oncall-email";
import { DAILY_JOBS } from "./scheduled-jobs";

// The operations manual's alert rules (docs/operations.md), judged by /api/cron/alerts every five
// minutes. The figures come from one database call at the job's clock (`now`, which tests move);
// each rule's state lives in public.ops_alerts, and the database decides under a row lock whether
// this run tells anyone: once when a rule fires, again only after the cooldown while it keeps
// firing (or at once when the last message failed), once when it recovers. Every such event is
// kept in public.ops_alert_events with whether Slack took it.

export const figuresSchema = z.object({
  requests: z.coerce.number(),
  errors_5xx: z.coerce.number(),
  slow_requests: z.coerce.number(),
  connections: z.coerce.number(),
  max_connections: z.coerce.number(),
  database_bytes: z.coerce.number(),
  last_backup_at: z.string().nullable(),
  failed_sign_ins: z.coerce.number(),
  stale_uploads: z.coerce.number(),
  waiting_flows: z.coerce.number(),
  stale_jobs: z.array(z.object({ job: z.string(), last_ok_at: z.string().nullable() })),
});
export type Figures = z.infer<typeof figuresSchema>;

export const fnAlertFigures = defineFunction(
  "ops_alert_figures",
  z.object({
    p_now: z.string(),
    p_window_minutes: z.number().int(),
    p_signin_minutes: z.number().int(),
    p_upload_minutes: z.number().int(),
    p_flow_wait_minutes: z.number().int(),
    p_daily_jobs: z.array(z.string()),
    p_job_stale_minutes: z.number().int(),
  }),
  figuresSchema,
);
export const fnAlertApply = defineFunction(
  "ops_alert_apply",
  z.object({
    p_rule: z.string(),
    p_firing: z.boolean(),
    p_value: z.number().nullable(),
    p_threshold: z.number().nullable(),
    p_summary: z.string(),
    p_now: z.string(),
    p_cooldown_minutes: z.number().int(),
  }),
  z.object({ action: z.enum(["fired", "reminder", "recovered"]).nullable(), event_id: z.coerce.number().nullable() }),
);
export const fnAlertDelivered = defineFunction(
  "ops_alert_delivered",
  z.object({ p_event_id: z.number(), p_ok: z.boolean().nullable(), p_error: z.string().nullable().optional() }),
  z.unknown(),
);

export const WINDOW_MINUTES = 5;
export const SIGNIN_MINUTES = 15;
export const UPLOAD_STALE_MINUTES = 180;
/** p95 above 3 s means more than 5 % of the requests took longer than 3 s (the histogram's bound). */
export const SLOW_MS = 3000;

export const RULES = ["error_rate", "p95", "db_connections", "db_size", "backup_age", "failed_sign_ins", "stale_uploads", "waiting_flows", "stale_jobs"] as const;
export type Rule = (typeof RULES)[number];

/** A rule's verdict; null when it cannot be judged (not configured). */
export type Verdict = { firing: boolean; value: number | null; threshold: number; summary: string } | null;

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

export function judge(rule: Rule, f: Figures, e: Env, now: Date): Verdict {
  switch (rule) {
    case "error_rate": {
      const value = pct(f.errors_5xx, f.requests);
      const enough = f.requests >= e.ALERT_MIN_REQUESTS;
      return {
        firing: enough && value > e.ALERT_ERROR_RATE_PERCENT,
        value,
        threshold: e.ALERT_ERROR_RATE_PERCENT,
        summary: `5xx rate ${value} % over ${WINDOW_MINUTES} min (${f.errors_5xx} of ${f.requests} requests; threshold ${e.ALERT_ERROR_RATE_PERCENT} %)`,
      };
    }
    case "p95": {
      const value = pct(f.slow_requests, f.requests);
      const enough = f.requests >= e.ALERT_MIN_REQUESTS;
      return {
        firing: enough && value > 5,
        value,
        threshold: 5,
        summary: `p95 response time above ${SLOW_MS / 1000} s over ${WINDOW_MINUTES} min: ${value} % of ${f.requests} requests took longer than ${SLOW_MS / 1000} s`,
      };
    }
    case "db_connections": {
      const value = pct(f.connections, f.max_connections);
      return {
        firing: value > e.ALERT_CONNECTIONS_PERCENT,
        value,
        threshold: e.ALERT_CONNECTIONS_PERCENT,
        summary: `Database connections at ${value} % of the maximum (${f.connections} of ${f.max_connections}; threshold ${e.ALERT_CONNECTIONS_PERCENT} %)`,
      };
    }
    case "db_size": {
      if (!e.DB_PLAN_SIZE_MB) return null;
      const value = pct(f.database_bytes, e.DB_PLAN_SIZE_MB * 1024 * 1024);
      return {
        firing: value > e.ALERT_DB_SIZE_PERCENT,
        value,
        threshold: e.ALERT_DB_SIZE_PERCENT,
        summary: `Database size at ${value} % of the plan (${Math.round(f.database_bytes / 1024 / 1024)} of ${e.DB_PLAN_SIZE_MB} MB; threshold ${e.ALERT_DB_SIZE_PERCENT} %)`,
      };
    }
    case "backup_age": {
      const max = e.ALERT_BACKUP_MAX_AGE_HOURS;
      if (max === 0) return null;
      if (!f.last_backup_at) return { firing: true, value: null, threshold: max, summary: `No successful database backup has been recorded (threshold ${max} h)` };
      const value = Math.round(((now.getTime() - Date.parse(f.last_backup_at)) / 3_600_000) * 10) / 10;
      return { firing: value > max, value, threshold: max, summary: `Last successful database backup ${value} h ago (threshold ${max} h)` };
    }
    case "failed_sign_ins":
      return {
        firing: f.failed_sign_ins > e.ALERT_FAILED_SIGNINS,
        value: f.failed_sign_ins,
        threshold: e.ALERT_FAILED_SIGNINS,
        summary: `${f.failed_sign_ins} failed sign-ins in ${SIGNIN_MINUTES} min (threshold ${e.ALERT_FAILED_SIGNINS})`,
      };
    case "stale_uploads":
      return {
        firing: f.stale_uploads > e.ALERT_STALE_UPLOADS,
        value: f.stale_uploads,
        threshold: e.ALERT_STALE_UPLOADS,
        summary: `${f.stale_uploads} direct uploads still unfinished ${UPLOAD_STALE_MINUTES / 60} h after they began (threshold ${e.ALERT_STALE_UPLOADS})`,
      };
    case "waiting_flows":
      return {
        firing: f.waiting_flows > 0,
        value: f.waiting_flows,
        threshold: 0,
        summary: `${f.waiting_flows} flows waiting for approval longer than ${e.ALERT_FLOW_WAIT_HOURS} h`,
      };
    case "stale_jobs": {
      const max = e.ALERT_JOB_STALE_HOURS;
      if (max === 0) return null;
      const hoursAgo = (at: string) => Math.round(((now.getTime() - Date.parse(at)) / 3_600_000) * 10) / 10;
      const list = f.stale_jobs.map((j) => `${j.job} (${j.last_ok_at ? `last success ${hoursAgo(j.last_ok_at)} h ago` : "no success recorded"})`);
      return {
        firing: list.length > 0,
        value: list.length,
        threshold: 0,
        summary: `${list.length} daily jobs without a successful run in ${max} h${list.length ? `: ${list.join(", ")}` : ""}`,
      };
    }
  }
}

const HEADLINE: Record<Rule, string> = {
  error_rate: "High error rate",
  p95: "Slow responses",
  db_connections: "Database connections",
  db_size: "Database size",
  backup_age: "Backup overdue",
  failed_sign_ins: "Failed sign-ins",
  stale_uploads: "Stale direct uploads",
  waiting_flows: "Flows waiting for approval",
  stale_jobs: "Daily job not succeeding",
};

export function alertText(rule: Rule, kind: "fired" | "reminder" | "recovered", summary: string, environment: string): string {
  const head = kind === "recovered" ? `Recovered: ${HEADLINE[rule]}` : kind === "reminder" ? `Still firing: ${HEADLINE[rule]}` : `Alert: ${HEADLINE[rule]}`;
  return `[Duly ERP ${environment}] ${head}\n${summary}`;
}

export type RuleOutcome = { rule: Rule; firing: boolean | null; value: number | null; action: "fired" | "reminder" | "recovered" | null; notified?: boolean | null };
export type AlertsResult = { checked_at: string; figures: Figures; rules: RuleOutcome[] };

export async function runAlerts(opts: { now?: Date; webhookUrl?: string; retry?: RetryOptions } = {}): Promise<AlertsResult> {
  const e = env();
  const now = opts.now ?? new Date();
  const webhook = opts.webhookUrl ?? e.SLACK_WEBHOOK_URL;
  const figures = await call(
    fnAlertFigures,
    {
      p_now: now.toISOString(),
      p_window_minutes: WINDOW_MINUTES,
      p_signin_minutes: SIGNIN_MINUTES,
      p_upload_minutes: UPLOAD_STALE_MINUTES,
      p_flow_wait_minutes: e.ALERT_FLOW_WAIT_HOURS * 60,
      // 0 turns the rule off: no job is judged.
      p_daily_jobs: e.ALERT_JOB_STALE_HOURS > 0 ? [...DAILY_JOBS] : [],
      p_job_stale_minutes: Math.max(e.ALERT_JOB_STALE_HOURS, 1) * 60,
    },
    service,
  );
  const outcomes: RuleOutcome[] = [];
  for (const rule of RULES) {
    const verdict = judge(rule, figures, e, now);
    if (!verdict) {
      outcomes.push({ rule, firing: null, value: null, action: null });
      continue;
    }
    const applied = await call(
      fnAlertApply,
      {
        p_rule: rule,
        p_firing: verdict.firing,
        p_value: verdict.value,
        p_threshold: verdict.threshold,
        p_summary: verdict.summary,
        p_now: now.toISOString(),
        p_cooldown_minutes: e.ALERT_COOLDOWN_MINUTES,
      },
      service,
    );
    const outcome: RuleOutcome = { rule, firing: verdict.firing, value: verdict.value, action: applied.action };
    if (applied.action && applied.event_id !== null) {
      const text = alertText(rule, applied.action, verdict.summary, deploymentEnv(e));
      let ok: boolean | null = null;
      let error: string | null = null;
      if (webhook) {
        const posted = await postToSlack(webhook, { text }, opts.retry);
        ok = posted.ok;
        if (!posted.ok) error = posted.error;
      }
      await queueOncallEmail({ subject: text.split("\n")[0], text, rule, kind: applied.action, eventId: String(applied.event_id) });
      await call(fnAlertDelivered, { p_event_id: applied.event_id, p_ok: ok, p_error: error }, service);
      outcome.notified = ok;
      log[applied.action === "recovered" ? "info" : "warn"]("ops.alert", { rule, action: applied.action, value: verdict.value, notified: ok });
    }
    outcomes.push(outcome);
  }
  return { checked_at: now.toISOString(), figures, rules: outcomes };
}
