import { describe, expect, it } from "vitest";
import { contractDb } from "../helpers/contract-db";
import { USERS, type DemoUser } from "../helpers/demo";
import { outcome, rpc } from "../helpers/rpc-as";
import { attempt, become, becomeSuperuser, sqlAs } from "../helpers/sql-as";
import { databaseForSuite } from "../helpers/test-db";

// The operations tables and functions (supabase/migrations/20261207140100_operations.sql and
// 20261211020100_ops_mail_and_job_runs.sql), on PGlite and Postgres: admins read every table,
// nobody else reads or writes any of them with a session; the service-role functions merge
// metrics, keep alert state and re-check the admin; the status page's outbox counts and job
// summary; job runs kept 30 days.

const TABLES = ["request_metrics", "ops_alerts", "ops_alert_events", "ops_job_runs", "ops_backups", "ops_samples", "ops_maintenance"];
const NON_ADMINS: DemoUser[] = ["manager", "korean", "chinese", "acme", "bluesky"];
const MINUTE = "2030-01-01T00:00:00Z";
const UPDATES: Record<string, string> = {
  request_metrics: "requests = 0",
  ops_alerts: "status = 'ok'",
  ops_alert_events: "notified = true",
  ops_job_runs: "ok = true",
  ops_backups: "ok = true",
  ops_samples: "connections = 0",
  ops_maintenance: "active = true",
};

describe("operations: database contract", () => {
  const getDb = databaseForSuite(contractDb);

  /** One row in each table, as the server would write it, then `work` as `who`, rolled back. */
  function withRows<T>(who: DemoUser | "anon", work: (q: Parameters<Parameters<ReturnType<typeof getDb>["rolledBack"]>[0]>[0]) => Promise<T>) {
    return getDb().rolledBack(async (q) => {
      await become(q, "service_role");
      await rpc(q, "ops_metrics_record", { p_rows: [{ minute: MINUTE, route_group: "v1:items", requests: 1, histogram: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0] }] });
      await rpc(q, "ops_alert_apply", { p_rule: "error_rate", p_firing: true, p_value: 9, p_threshold: 5, p_summary: "x", p_now: MINUTE, p_cooldown_minutes: 60 });
      await rpc(q, "ops_job_run_record", { p_job: "alerts", p_started_at: MINUTE, p_finished_at: MINUTE, p_ok: true });
      await rpc(q, "ops_backup_record", { p_kind: "database", p_mode: "postgres", p_target: "b.sql", p_ok: true });
      await rpc(q, "ops_alert_figures", { p_now: MINUTE });
      await become(q, who);
      return work(q);
    });
  }

  it.each(TABLES)("admins read %s", async (table) => {
    const rows = await withRows("admin", (q) => q(`select * from public.${table}`));
    expect(rows.length).toBeGreaterThan(0);
  });

  it.each(TABLES)("other roles see no row of %s and anon is refused", async (table) => {
    for (const who of NON_ADMINS) {
      expect(await withRows(who, (q) => q(`select * from public.${table}`)), who).toEqual([]);
    }
    await expect(sqlAs(getDb(), "anon", `select 1 from public.${table}`)).rejects.toMatchObject({ code: "42501" });
  });

  it.each(TABLES)("nobody writes %s with a session, admins included", async (table) => {
    for (const who of ["admin", "manager", "acme"] as DemoUser[]) {
      await withRows(who, async (q) => {
        const del = await attempt(q, `delete from public.${table}`);
        expect(del.ok ? "ok" : del.error.code, who).toBe("42501");
        const upd = await attempt(q, `update public.${table} set ${UPDATES[table]}`);
        expect(upd.ok ? "ok" : upd.error.code, who).toBe("42501");
      });
    }
  });

  it("metric rows of the same minute and group add up, histogram bucket by bucket", async () => {
    const row = await getDb().rolledBack(async (q) => {
      await become(q, "service_role");
      const one = { minute: "2030-01-01T00:00:30Z", route_group: "v1:items", requests: 2, errors_5xx: 1, duration_ms_sum: 100, histogram: [1, 1, 0, 0, 0, 0, 0, 0, 0, 0] };
      // Twice in one call, then once more in another.
      await rpc(q, "ops_metrics_record", { p_rows: [one, { ...one, histogram: [0, 0, 0, 0, 0, 0, 0, 1, 0, 1] }] });
      await rpc(q, "ops_metrics_record", { p_rows: [{ ...one, requests: 1, errors_5xx: 0, histogram: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1] }] });
      await becomeSuperuser(q);
      return (await q<{ minute: Date; requests: number; errors_5xx: number; histogram: number[] }>("select * from public.request_metrics where route_group = 'v1:items' and minute = '2030-01-01T00:00:00Z'"))[0];
    });
    expect(row).toMatchObject({ requests: 5, errors_5xx: 2, histogram: [1, 1, 0, 0, 0, 0, 0, 1, 0, 2] });
  });

  it("ops_status and ops_maintenance_set re-check the admin even for the service role", async () => {
    await getDb().rolledBack(async (q) => {
      await become(q, "service_role");
      for (const who of NON_ADMINS) {
        expect(await outcome(q, "ops_status", { p_since: MINUTE, p_actor: USERS[who].id }), who).toBe("forbidden");
        expect(await outcome(q, "ops_maintenance_set", { p_active: true, p_actor: USERS[who].id }), who).toBe("forbidden");
      }
      expect(await outcome(q, "ops_maintenance_set", { p_active: true })).toBe("unauthorized");
      expect(await outcome(q, "ops_status", { p_since: MINUTE, p_actor: USERS.admin.id })).toBe("ok");
      expect(await rpc(q, "ops_maintenance_set", { p_active: true, p_message: "m", p_actor: USERS.admin.id })).toMatchObject({ active: true, message: "m" });
      expect(await rpc(q, "ops_maintenance_state")).toMatchObject({ active: true, message: "m" });
    });
  });

  it("ops_alert_apply: fired once, quiet in the cooldown, a reminder after it, recovered once", async () => {
    const actions = await getDb().rolledBack(async (q) => {
      await become(q, "service_role");
      const step = async (firing: boolean, at: string) =>
        (await rpc<{ action: string | null }>(q, "ops_alert_apply", { p_rule: "p95", p_firing: firing, p_value: 1, p_threshold: 5, p_summary: "s", p_now: at, p_cooldown_minutes: 60 })).action;
      return [
        await step(true, "2030-01-01T00:00:00Z"),
        await step(true, "2030-01-01T00:30:00Z"),
        await step(true, "2030-01-01T01:00:00Z"),
        await step(false, "2030-01-01T01:05:00Z"),
        await step(false, "2030-01-01T01:10:00Z"),
      ];
    });
    expect(actions).toEqual(["fired", null, "reminder", "recovered", null]);
  });

  describe("the status page's outbox counts and job summary", () => {
    type Status = {
      mail: { pending: number; failed: number; sent: number; oldest_pending_at: string | null };
      job_summary: { job: string; last_run: { started_at: string; ok: boolean }; last_failure: { started_at: string; error: string | null } | null; runs: number; failures: number }[];
      jobs: { job: string; ok: boolean; error: string | null }[];
    };
    const statusSql = "select public.ops_status(now() - interval '24 hours', $1) as r";

    /** Outbox rows and job runs at known ages, then ops_status as the service role for `actor`. */
    function statusWith<T>(work: (q: Parameters<Parameters<ReturnType<typeof getDb>["rolledBack"]>[0]>[0]) => Promise<T>) {
      return getDb().rolledBack(async (q) => {
        await q("delete from public.email_outbox");
        await q("delete from public.ops_job_runs");
        await q(`insert into public.email_outbox (kind, to_address, locale, status, created_at, sent_at, last_error) values
          ('ops_alert', 'a@duly.test', 'en', 'pending', now() - interval '3 hours', null, 'connection refused'),
          ('ops_alert', 'b@duly.test', 'en', 'pending', now() - interval '5 minutes', null, null),
          ('ops_alert', 'c@duly.test', 'en', 'sending', now() - interval '1 minute', null, null),
          ('ops_alert', 'd@duly.test', 'en', 'failed', now() - interval '3 days', null, '550 no such user'),
          ('ops_alert', 'e@duly.test', 'en', 'sent', now() - interval '2 hours', now() - interval '1 hour', null),
          ('ops_alert', 'f@duly.test', 'en', 'sent', now() - interval '2 days', now() - interval '30 hours', null),
          ('ops_alert', 'g@duly.test', 'en', 'skipped', now() - interval '1 hour', null, null)`);
        await q(`insert into public.ops_job_runs (job, started_at, finished_at, ok, error)
          select job, now() - ago, now() - ago + interval '1 second', ok, error from (values
            ('email', interval '1 minute', true, null),
            ('email', interval '2 minutes', true, null),
            ('email', interval '2 hours', false, 'database unreachable'),
            ('email', interval '3 hours', true, null),
            ('email', interval '25 hours', false, 'older failure'),
            ('alerts', interval '5 minutes', true, null),
            ('audit-retention', interval '3 hours', false, 'statement timeout'),
            ('audit-retention', interval '2 days', true, null)
          ) v (job, ago, ok, error)`);
        await become(q, "service_role");
        return work(q);
      });
    }
    const statusFor = (actor: string | null) => statusWith(async (q) => (await q<{ r: Status }>(statusSql, [actor]))[0].r);

    it("an admin gets the outbox: waiting (sending included), failed for good, sent in the window, the oldest waiting one", async () => {
      const { mail } = await statusFor(USERS.admin.id);
      expect(mail).toMatchObject({ pending: 3, failed: 1, sent: 1 });
      const waited = (Date.now() - Date.parse(mail.oldest_pending_at!)) / 3_600_000;
      expect(waited).toBeGreaterThan(2.9);
      expect(waited).toBeLessThan(3.5);
      // Counts only: no address and no error text reach the page.
      expect(JSON.stringify(mail)).not.toMatch(/@duly\.test|refused|no such user/);
    });

    it("nothing waiting: no oldest waiting email", async () => {
      const mail = await statusWith(async (q) => {
        await becomeSuperuser(q);
        await q("delete from public.email_outbox where status in ('pending', 'sending')");
        await become(q, "service_role");
        return (await q<{ r: Status }>(statusSql, [USERS.admin.id]))[0].r.mail;
      });
      expect(mail).toEqual({ pending: 0, failed: 1, sent: 1, oldest_pending_at: null });
    });

    it("each job's last run, last failure with its error, and its runs and failures in the window", async () => {
      const { job_summary } = await statusFor(USERS.admin.id);
      expect(job_summary.map((s) => s.job)).toEqual(["alerts", "audit-retention", "email"]);
      const [alerts, retention, email] = job_summary;
      expect(alerts).toMatchObject({ last_run: { ok: true }, last_failure: null, runs: 1, failures: 0 });
      expect(retention).toMatchObject({ last_run: { ok: false }, last_failure: { error: "statement timeout" }, runs: 1, failures: 1 });
      expect(email).toMatchObject({ last_run: { ok: true }, last_failure: { error: "database unreachable" }, runs: 4, failures: 1 });
      expect(Date.now() - Date.parse(email.last_run.started_at)).toBeLessThan(10 * 60_000);
    });

    it("the recent runs leave out the email and alert jobs' successes, not their failures", async () => {
      const { jobs } = await statusFor(USERS.admin.id);
      expect(jobs.map((j) => [j.job, j.ok, j.error])).toEqual([
        ["email", false, "database unreachable"],
        ["audit-retention", false, "statement timeout"],
        ["email", false, "older failure"],
        ["audit-retention", true, null],
      ]);
    });

    it.each(NON_ADMINS)("%s is refused, even through the service role; no actor is refused too", async (who) => {
      await statusWith(async (q) => {
        expect(await outcome(q, "ops_status", { p_since: MINUTE, p_actor: USERS[who].id })).toBe("forbidden");
        expect(await outcome(q, "ops_status", { p_since: MINUTE })).toBe("unauthorized");
      });
    });

    it.each(["admin", "manager", "acme", "anon"] as const)("%s may not call ops_status with a session", async (who) => {
      await expect(sqlAs(getDb(), who, statusSql, [who === "anon" ? null : USERS[who].id])).rejects.toMatchObject({ code: "42501" });
    });
  });

  describe("the stale_jobs figure: daily jobs without a recent success", () => {
    const figure = (jobs: string[], runs: [string, string, boolean][]) =>
      getDb().rolledBack(async (q) => {
        await q("delete from public.ops_job_runs");
        for (const [job, age, ok] of runs) {
          await q("insert into public.ops_job_runs (job, started_at, finished_at, ok) values ($1, now() - $2::interval, now() - $2::interval, $3)", [job, age, ok]);
        }
        await become(q, "service_role");
        const f = await rpc<{ stale_jobs: { job: string; last_ok_at: string | null }[] }>(q, "ops_alert_figures", {
          p_now: new Date().toISOString(), p_daily_jobs: jobs, p_job_stale_minutes: 36 * 60,
        });
        return f.stale_jobs.map((j) => [j.job, j.last_ok_at === null ? "none" : "some"]);
      });

    it("names a job whose last success is older than the window (a later failure does not count) and one with no success since jobs were first recorded", async () => {
      expect(await figure(["audit-retention", "idempotency-prune", "low-stock-digest"], [
        ["email", "40 hours", true],
        ["audit-retention", "2 hours", true],
        ["idempotency-prune", "37 hours", true],
        ["idempotency-prune", "1 hour", false],
        ["low-stock-digest", "3 hours", false],
      ])).toEqual([["idempotency-prune", "some"], ["low-stock-digest", "none"]]);
    });

    it("names none while every job succeeded within the window, none before jobs have been recorded for that long, none on a database where no job ran", async () => {
      expect(await figure(["audit-retention", "idempotency-prune"], [["audit-retention", "35 hours", true], ["idempotency-prune", "1 hour", true]])).toEqual([]);
      expect(await figure(["audit-retention", "low-stock-digest"], [["email", "35 hours", true], ["audit-retention", "1 hour", true]])).toEqual([]);
      expect(await figure(["audit-retention"], [])).toEqual([]);
    });
  });

  describe("job runs are kept 30 days", () => {
    const AGES = ["45 days", "30 days 1 minute", "29 days 23 hours", "1 day", "0 seconds"];

    it("the prune deletes the runs started more than 30 days ago and keeps the rest", async () => {
      const { deleted, left } = await getDb().rolledBack(async (q) => {
        await q("delete from public.ops_job_runs");
        for (const [i, age] of AGES.entries()) {
          await q("insert into public.ops_job_runs (job, started_at, finished_at, ok, details) values ('email', now() - $1::interval, now() - $1::interval, true, $2)", [age, { n: i }]);
        }
        await become(q, "service_role");
        const deleted = await rpc<number>(q, "jobs_prune_job_runs");
        await becomeSuperuser(q);
        const left = await q<{ age: string }>("select details->>'n' as age from public.ops_job_runs order by started_at");
        return { deleted, left: left.map((r) => AGES[Number(r.age)]) };
      });
      expect(deleted).toBe(2);
      expect(left).toEqual(["29 days 23 hours", "1 day", "0 seconds"]);
    });

    it("recording a run deletes nothing: the daily prune does", async () => {
      const left = await getDb().rolledBack(async (q) => {
        await q("delete from public.ops_job_runs");
        await q("insert into public.ops_job_runs (job, started_at, finished_at, ok) values ('alerts', now() - interval '2 years', now() - interval '2 years', true)");
        await become(q, "service_role");
        await rpc(q, "ops_job_run_record", { p_job: "alerts", p_started_at: MINUTE, p_finished_at: MINUTE, p_ok: true });
        await becomeSuperuser(q);
        return (await q<{ n: number }>("select count(*)::int as n from public.ops_job_runs"))[0].n;
      });
      expect(left).toBe(2);
    });

    it.each(["admin", "manager", "acme", "anon"] as const)("%s may not run the prune", async (who) => {
      await expect(sqlAs(getDb(), who, "select public.jobs_prune_job_runs()")).rejects.toMatchObject({ code: "42501" });
    });
  });
});
