import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { runAlerts, type Rule } from "@/lib/ops/alerts";
import { DAILY_JOBS } from "@/lib/ops/scheduled-jobs";
import { flushMetrics, recordRequest, resetMetrics } from "@/lib/ops/metrics";
import { openTestDatabase } from "../helpers/pglite";
import { CUSTOMERS, USERS } from "../helpers/demo";
import { request } from "../helpers/router";
import { setEnv } from "../helpers/env";

// The alert rules of the operations manual (lib/ops/alerts.ts), each made to fire and to recover
// on this file's own embedded database, with the job's clock moved by hand (fake time) and a fake
// Slack incoming webhook on loopback: one message when a rule fires, quiet while it keeps firing
// until the cooldown has passed, one message when it recovers; failed deliveries are tried again
// at the next run; every event is kept. Also: the request metrics the rules read, and the job's
// route with its cron secret and its recorded runs.

const SECRET = "cron-secret-for-tests-0123456789";
const RETRY = { attempts: 1, baseDelayMs: 1 };
const MINUTE = 60_000;

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

const slack = { server: undefined as Server | undefined, url: "", received: [] as string[], script: [] as number[] };

function startSlack(): Promise<void> {
  slack.server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      slack.received.push((JSON.parse(body) as { text: string }).text);
      const status = slack.script.shift() ?? 200;
      res.writeHead(status, { "Content-Type": "text/plain" });
      res.end(status === 200 ? "ok" : "internal_error");
    });
  });
  return new Promise((resolve) =>
    slack.server!.listen(0, "127.0.0.1", () => {
      slack.url = `http://127.0.0.1:${(slack.server!.address() as AddressInfo).port}/services/T000/B000/XXXX`;
      resolve();
    }),
  );
}

const saved = { ...process.env };

// The job's clock: a day ahead of the real one, moved forward by each test (never back, so one
// test's minutes never fall in another's window).
let clock = Math.floor(Date.now() / MINUTE) * MINUTE + 24 * 60 * MINUTE;
const advance = (minutes: number) => new Date((clock += minutes * MINUTE));
const at = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MINUTE).toISOString();

const run = (now: Date) => runAlerts({ now, retry: RETRY });
const messagesAbout = (word: RegExp) => slack.received.filter((t) => word.test(t));
const actionOf = (result: Awaited<ReturnType<typeof run>>, rule: Rule) => result.rules.find((r) => r.rule === rule)!.action;

async function events(rule: Rule) {
  return db.query<{ kind: string; notified: boolean | null; created_at: Date }>("select kind, notified, created_at from public.ops_alert_events where rule = $1 order by id", [rule]).then((r) => r.rows);
}
async function state(rule: Rule) {
  return (await db.query<{ status: string; value: string | null }>("select status, value from public.ops_alerts where rule = $1", [rule])).rows[0];
}

/** A minute of traffic in request_metrics: n requests, of them `errors` 5xx and `slow` over 3 s. */
async function traffic(minute: Date, n: number, errors: number, slow: number) {
  const histogram = [n - slow, 0, 0, 0, 0, 0, 0, slow, 0, 0];
  await db.query(
    `insert into public.request_metrics (minute, route_group, requests, errors_5xx, duration_ms_sum, histogram)
     values (date_trunc('minute', $1::timestamptz), 'v1:items', $2, $3, $4, $5)`,
    [minute.toISOString(), n, errors, slow * 4000, histogram],
  );
}

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  await startSlack();
  // The rules judged by every run are quiet unless a test makes them fire: the demo's submitted
  // flows are fresh, nothing else is configured.
  await db.query("update public.flows set submitted_at = now() where status = 'submitted'");
  await db.query("delete from public.attachment_uploads where status = 'pending'");
  setEnv({ CRON_SECRET: SECRET, SLACK_WEBHOOK_URL: slack.url, ALERT_BACKUP_MAX_AGE_HOURS: "0", DB_PLAN_SIZE_MB: undefined, ALERT_COOLDOWN_MINUTES: "60", ALERT_FAILED_SIGNINS: "3", ALERT_STALE_UPLOADS: "0", ALERT_JOB_STALE_HOURS: "0" });
});

afterAll(async () => {
  process.env = { ...saved };
  resetEnvCache();
  await new Promise((resolve) => slack.server?.close(resolve));
});

beforeEach(() => {
  slack.received = [];
  slack.script = [];
});

describe("each rule fires once and recovers once", () => {
  it("5xx rate above 5 % over 5 minutes", async () => {
    const now = advance(60);
    await traffic(new Date(at(now, -3)), 100, 8, 0);
    const fired = await run(now);
    expect(actionOf(fired, "error_rate")).toBe("fired");
    expect(messagesAbout(/High error rate/)).toEqual([expect.stringMatching(/^\[Duly ERP \w+\] Alert: High error rate\n5xx rate 8 % over 5 min \(8 of 100 requests; threshold 5 %\)/)]);
    expect(await state("error_rate")).toMatchObject({ status: "firing", value: "8" });

    // The bad minute leaves the window: recovered, said once.
    slack.received = [];
    const later = advance(10);
    const recovered = await run(later);
    expect(actionOf(recovered, "error_rate")).toBe("recovered");
    expect(messagesAbout(/error rate/)).toEqual([expect.stringMatching(/Recovered: High error rate/)]);
    expect((await events("error_rate")).map((e) => [e.kind, e.notified])).toEqual([["fired", true], ["recovered", true]]);
  });

  it("5 % exactly, or a window with too few requests to judge, does not fire", async () => {
    const now = advance(60);
    await traffic(new Date(at(now, -2)), 100, 5, 0);
    expect(actionOf(await run(now), "error_rate")).toBeNull();
    const quiet = advance(60);
    await traffic(new Date(at(quiet, -2)), 10, 10, 0); // 100 %, but 10 requests < ALERT_MIN_REQUESTS (20)
    expect(actionOf(await run(quiet), "error_rate")).toBeNull();
    expect(slack.received).toEqual([]);
  });

  it("p95 above 3 s: more than 5 % of the requests slower than 3 s", async () => {
    const now = advance(60);
    await traffic(new Date(at(now, -4)), 50, 0, 2);
    await traffic(new Date(at(now, -1)), 50, 0, 5); // 7 of 100 over 3 s
    expect(actionOf(await run(now), "p95")).toBe("fired");
    expect(messagesAbout(/Slow responses/)).toEqual([expect.stringMatching(/7 % of 100 requests took longer than 3 s/)]);
    slack.received = [];
    const later = advance(6);
    await traffic(new Date(at(later, -2)), 100, 0, 1);
    expect(actionOf(await run(later), "p95")).toBe("recovered");
    expect(messagesAbout(/Slow responses/)).toEqual([expect.stringMatching(/^\[Duly ERP \w+\] Recovered: Slow responses/)]);
  });

  it("database connections above 80 % of the maximum", async () => {
    const max = Number((await db.query<{ m: string }>("select current_setting('max_connections') as m")).rows[0].m);
    const connections = Number((await db.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where backend_type = 'client backend'")).rows[0].n);
    // The share this database has now, made into the threshold's edge both ways.
    const share = (connections / max) * 100;
    setEnv({ ALERT_CONNECTIONS_PERCENT: String(Math.max(1, Math.floor(share) - 1)) });
    try {
      if (share < 2) {
        // An idle embedded database has (almost) no client backends: check the rule's arithmetic instead.
        const { judge } = await import("@/lib/ops/alerts");
        const { env } = await import("@/lib/env");
        const figures = { requests: 0, errors_5xx: 0, slow_requests: 0, connections: 81, max_connections: 100, database_bytes: 0, last_backup_at: null, failed_sign_ins: 0, stale_uploads: 0, waiting_flows: 0, stale_jobs: [] };
        setEnv({ ALERT_CONNECTIONS_PERCENT: "80" });
        expect(judge("db_connections", figures, env(), new Date())).toMatchObject({ firing: true, value: 81 });
        expect(judge("db_connections", { ...figures, connections: 80 }, env(), new Date())).toMatchObject({ firing: false, value: 80 });
        return;
      }
      expect(actionOf(await run(advance(5)), "db_connections")).toBe("fired");
      setEnv({ ALERT_CONNECTIONS_PERCENT: "100" });
      expect(actionOf(await run(advance(5)), "db_connections")).toBe("recovered");
    } finally {
      setEnv({ ALERT_CONNECTIONS_PERCENT: undefined });
    }
  });

  it("database size above the configured share of the plan; off without DB_PLAN_SIZE_MB", async () => {
    const off = await run(advance(5));
    expect(off.rules.find((r) => r.rule === "db_size")).toMatchObject({ firing: null, action: null });
    const bytes = Number(off.figures.database_bytes);
    // A plan a little smaller than the database: above 85 %; then a plan ten times larger.
    setEnv({ DB_PLAN_SIZE_MB: String(Math.max(1, Math.floor(bytes / 1024 / 1024))) });
    expect(actionOf(await run(advance(5)), "db_size")).toBe("fired");
    expect(messagesAbout(/Database size/)).toEqual([expect.stringMatching(/Database size at \d+(\.\d)? % of the plan/)]);
    setEnv({ DB_PLAN_SIZE_MB: String(Math.ceil((bytes * 10) / 1024 / 1024)) });
    expect(actionOf(await run(advance(5)), "db_size")).toBe("recovered");
    setEnv({ DB_PLAN_SIZE_MB: undefined });
  });

  it("last successful backup older than 26 hours (a failed one does not count); none at all fires too", async () => {
    setEnv({ ALERT_BACKUP_MAX_AGE_HOURS: "26" });
    try {
      const now = advance(5);
      const none = await run(now);
      expect(actionOf(none, "backup_age")).toBe("fired");
      expect(messagesAbout(/Backup overdue/)).toEqual([expect.stringMatching(/No successful database backup has been recorded/)]);
      const insert = (finished: string, ok: boolean) =>
        db.query("insert into public.ops_backups (kind, mode, target, ok, finished_at) values ('database', 'postgres', 'backups/x.sql', $1, $2)", [ok, finished]);
      await insert(at(now, -27 * 60), true);
      await insert(at(now, -60), false);
      slack.received = [];
      // Still firing (27 h), inside the cooldown: quiet.
      const still = await run(advance(5));
      expect(actionOf(still, "backup_age")).toBeNull();
      expect(still.rules.find((r) => r.rule === "backup_age")!.value).toBeGreaterThan(26);
      expect(slack.received).toEqual([]);
      await insert(at(new Date(clock), -30), true);
      expect(actionOf(await run(advance(5)), "backup_age")).toBe("recovered");
    } finally {
      setEnv({ ALERT_BACKUP_MAX_AGE_HOURS: "0" });
    }
  });

  it("failed sign-ins above the threshold in 15 minutes", async () => {
    const now = advance(60);
    const fail = (when: string) =>
      db.query("insert into public.audit_log (action, table_name, row_id, after, security_event, created_at) values ('insert', 'login_failures', null, '{}', true, $1)", [when]);
    for (const m of [-1, -3, -5]) await fail(at(now, m));
    expect(actionOf(await run(now), "failed_sign_ins")).toBeNull(); // 3 is not above 3
    await fail(at(now, -20)); // outside the 15 minutes
    expect(actionOf(await run(now), "failed_sign_ins")).toBeNull();
    await fail(at(now, -14));
    expect(actionOf(await run(now), "failed_sign_ins")).toBe("fired");
    expect(messagesAbout(/Failed sign-ins/)).toEqual([expect.stringMatching(/4 failed sign-ins in 15 min \(threshold 3\)/)]);
    expect(actionOf(await run(advance(16)), "failed_sign_ins")).toBe("recovered");
  });

  it("direct uploads left pending 3 hours after they began", async () => {
    const now = advance(60);
    const id = randomUUID();
    await db.query(
      `insert into public.attachment_uploads (id, user_id, customer_id, kind, file_name, content_type, size_bytes, storage_path, expires_at, created_at)
       values ($1, $2, $3, 'document', 'x.pdf', 'application/pdf', 10, $4, $5, $6)`,
      [id, USERS.acme.id, CUSTOMERS.acme, `${CUSTOMERS.acme}/${id}/x.pdf`, at(now, -170), at(now, -179)],
    );
    expect(actionOf(await run(now), "stale_uploads")).toBeNull(); // 179 minutes: not yet
    expect(actionOf(await run(advance(2)), "stale_uploads")).toBe("fired");
    expect(messagesAbout(/Stale direct uploads/)).toEqual([expect.stringMatching(/1 direct uploads still unfinished 3 h after they began/)]);
    await db.query("update public.attachment_uploads set status = 'failed' where id = $1", [id]);
    expect(actionOf(await run(advance(5)), "stale_uploads")).toBe("recovered");
  });

  it("flows waiting for approval longer than the configured time", async () => {
    const now = advance(60);
    const flow = (await db.query<{ id: string; submitted_at: Date }>("select id, submitted_at from public.flows where status = 'submitted' limit 1")).rows[0];
    await db.query("update public.flows set submitted_at = $2 where id = $1", [flow.id, at(now, -47 * 60)]);
    expect(actionOf(await run(now), "waiting_flows")).toBeNull();
    await db.query("update public.flows set submitted_at = $2 where id = $1", [flow.id, at(now, -49 * 60)]);
    expect(actionOf(await run(advance(1)), "waiting_flows")).toBe("fired");
    expect(messagesAbout(/waiting for approval/)).toEqual([expect.stringMatching(/1 flows waiting for approval longer than 48 h/)]);
    await db.query("update public.flows set submitted_at = $2 where id = $1", [flow.id, flow.submitted_at]);
    expect(actionOf(await run(advance(5)), "waiting_flows")).toBe("recovered");
  });
});

describe("daily jobs that stop succeeding", () => {
  const jobRun = (job: string, startedAt: string, ok = true) =>
    db.query("insert into public.ops_job_runs (job, started_at, finished_at, ok, error) values ($1, $2, $2, $3, $4)", [job, startedAt, ok, ok ? null : "refused"]);
  const verdict = (result: Awaited<ReturnType<typeof run>>) => result.rules.find((r) => r.rule === "stale_jobs")!;

  beforeEach(async () => {
    await db.query("delete from public.ops_job_runs");
    setEnv({ ALERT_JOB_STALE_HOURS: "36" });
  });
  afterAll(async () => {
    await db.query("delete from public.ops_job_runs");
    setEnv({ ALERT_JOB_STALE_HOURS: "0" });
  });

  // The clock moves little here (later tests judge flows submitted at the real time against 48 h):
  // the runs are written at the ages each step needs instead.
  it("a daily job whose last success is more than 36 h old fires (a failure is no success), names it, and recovers with a success", async () => {
    const now = advance(10);
    for (const job of DAILY_JOBS) await jobRun(job, at(now, job === "idempotency-prune" ? -35 * 60 : -60));
    await jobRun("idempotency-prune", at(now, -10), false);
    // 35 h: fresh, silent.
    expect(verdict(await run(now))).toMatchObject({ firing: false, value: 0, action: null });

    await db.query("update public.ops_job_runs set started_at = started_at - interval '2 hours' where job = 'idempotency-prune' and ok");
    const later = advance(1); // 37 h since the prune's last success
    expect(verdict(await run(later))).toMatchObject({ firing: true, value: 1, action: "fired" });
    expect(messagesAbout(/Daily job/)).toEqual([
      expect.stringMatching(/Alert: Daily job not succeeding\n1 daily jobs without a successful run in 36 h: idempotency-prune \(last success 37 h ago\)$/),
    ]);

    slack.received = [];
    await jobRun("idempotency-prune", at(later, 0));
    expect(verdict(await run(advance(1)))).toMatchObject({ firing: false, action: "recovered" });
    expect(messagesAbout(/Daily job/)).toEqual([expect.stringMatching(/Recovered: Daily job not succeeding/)]);
  });

  it("a daily job that never succeeded fires once jobs have been recorded for 36 h, not before; a database where no job ever ran is quiet", async () => {
    const now = advance(10);
    expect(verdict(await run(now))).toMatchObject({ firing: false, value: 0 });
    // The other jobs run every day; the digest never succeeded.
    await jobRun("alerts", at(now, -35 * 60));
    for (const job of DAILY_JOBS.filter((j) => j !== "low-stock-digest")) await jobRun(job, at(now, -60));
    await jobRun("low-stock-digest", at(now, -120), false);
    expect(verdict(await run(advance(1)))).toMatchObject({ firing: false, action: null });

    await db.query("update public.ops_job_runs set started_at = started_at - interval '2 hours' where job = 'alerts'");
    const later = advance(1); // jobs recorded since 37 h ago
    expect(verdict(await run(later))).toMatchObject({ firing: true, value: 1, action: "fired" });
    expect(messagesAbout(/Daily job/)).toEqual([expect.stringMatching(/low-stock-digest \(no success recorded\)$/)]);
    await jobRun("low-stock-digest", at(later, 0));
    expect(verdict(await run(advance(1)))).toMatchObject({ firing: false, action: "recovered" });
  });

  it("ALERT_JOB_STALE_HOURS=0 turns the rule off", async () => {
    setEnv({ ALERT_JOB_STALE_HOURS: "0" });
    const now = advance(10);
    await jobRun("idempotency-prune", at(now, -100 * 60));
    expect(verdict(await run(now))).toMatchObject({ firing: null, action: null });
    expect(messagesAbout(/Daily job/)).toEqual([]);
  });
});

describe("quiet while firing, the cooldown, failed deliveries", () => {
  const slowMinutes = async (now: Date) => traffic(new Date(at(now, -2)), 100, 50, 0);

  it("stays quiet while firing until the cooldown has passed, then reminds once; recovers; fires again later", async () => {
    let now = advance(60);
    await slowMinutes(now);
    expect(actionOf(await run(now), "error_rate")).toBe("fired");
    // Every 5 minutes for 55 minutes: firing, no message.
    for (let i = 0; i < 11; i++) {
      now = advance(5);
      await slowMinutes(now);
      expect(actionOf(await run(now), "error_rate")).toBeNull();
    }
    expect(messagesAbout(/error rate/i)).toHaveLength(1);
    now = advance(5); // 60 minutes after the first message
    await slowMinutes(now);
    expect(actionOf(await run(now), "error_rate")).toBe("reminder");
    expect(messagesAbout(/error rate/i).at(-1)).toMatch(/Still firing: High error rate/);
    now = advance(10);
    expect(actionOf(await run(now), "error_rate")).toBe("recovered");
    now = advance(5);
    await slowMinutes(now);
    expect(actionOf(await run(now), "error_rate")).toBe("fired");
    expect(messagesAbout(/error rate/i).map((t) => t.split("\n")[0].replace(/^\[[^\]]+\] /, ""))).toEqual([
      "Alert: High error rate",
      "Still firing: High error rate",
      "Recovered: High error rate",
      "Alert: High error rate",
    ]);
    expect(actionOf(await run(advance(10)), "error_rate")).toBe("recovered");
  });

  it("a message Slack refused is recorded as not sent and tried again at the next run, cooldown or not", async () => {
    let now = advance(60);
    await slowMinutes(now);
    slack.script = [500];
    expect(actionOf(await run(now), "error_rate")).toBe("fired");
    const before = (await events("error_rate")).at(-1)!;
    expect(before).toMatchObject({ kind: "fired", notified: false });
    now = advance(5);
    await slowMinutes(now);
    expect(actionOf(await run(now), "error_rate")).toBe("reminder");
    expect((await events("error_rate")).at(-1)).toMatchObject({ kind: "reminder", notified: true });
    now = advance(5);
    await slowMinutes(now);
    expect(actionOf(await run(now), "error_rate")).toBeNull();
    expect(actionOf(await run(advance(10)), "error_rate")).toBe("recovered");
  });

  it("without SLACK_WEBHOOK_URL the events are still recorded (not sent), and the cooldown still holds", async () => {
    setEnv({ SLACK_WEBHOOK_URL: undefined });
    try {
      let now = advance(60);
      await slowMinutes(now);
      expect(actionOf(await run(now), "error_rate")).toBe("fired");
      now = advance(5);
      await slowMinutes(now);
      expect(actionOf(await run(now), "error_rate")).toBeNull();
      expect((await events("error_rate")).at(-1)).toMatchObject({ kind: "fired", notified: null });
      expect(actionOf(await run(advance(10)), "error_rate")).toBe("recovered");
      expect(slack.received).toEqual([]);
    } finally {
      setEnv({ SLACK_WEBHOOK_URL: slack.url });
    }
  });

  it("with ALERT_ONCALL_EMAIL each message also queues one email to the on-call address (none while quiet); without it, none", async () => {
    const oncall = () =>
      db
        .query<{ to_address: string; subject: string }>("select to_address, data->>'subject' as subject from public.email_outbox where kind = 'ops_alert' order by created_at, id")
        .then((r) => r.rows);
    await db.query("delete from public.email_outbox where kind = 'ops_alert'");
    setEnv({ ALERT_ONCALL_EMAIL: "oncall@duly.test" });
    try {
      let now = advance(60);
      await slowMinutes(now);
      expect(actionOf(await run(now), "error_rate")).toBe("fired");
      now = advance(5);
      await slowMinutes(now);
      expect(actionOf(await run(now), "error_rate")).toBeNull();
      expect(actionOf(await run(advance(10)), "error_rate")).toBe("recovered");
      expect((await oncall()).map((m) => [m.to_address, m.subject.replace(/^\[[^\]]+\] /, "")])).toEqual([
        ["oncall@duly.test", "Alert: High error rate"],
        ["oncall@duly.test", "Recovered: High error rate"],
      ]);
    } finally {
      setEnv({ ALERT_ONCALL_EMAIL: undefined });
    }
    const now = advance(60);
    await slowMinutes(now);
    expect(actionOf(await run(now), "error_rate")).toBe("fired");
    expect(actionOf(await run(advance(10)), "error_rate")).toBe("recovered");
    expect(await oncall()).toHaveLength(2);
  });
});

describe("request metrics", () => {
  it("the route wrapper counts answers per minute and route group, and one flush adds them up in the database", async () => {
    setEnv({ OPS_METRICS: "on" });
    resetMetrics();
    try {
      for (let i = 0; i < 3; i++) expect((await request("GET", "/api/v1/version")).status).toBe(200);
      expect((await request("GET", "/api/v1/items")).status).toBe(401);
      const minute = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
      // Counted in memory only, so far.
      const before = await db.query("select 1 from public.request_metrics where minute = $1 and route_group in ('v1:version', 'v1:items')", [minute.toISOString()]);
      expect(before.rows).toEqual([]);
      expect(await flushMetrics()).toBeGreaterThanOrEqual(2);
      recordRequest("/api/v1/version", 503, 4200);
      await flushMetrics();
      const rows = await db.query<{ route_group: string; requests: number; errors_4xx: number; errors_5xx: number; histogram: number[] }>(
        "select route_group, requests, errors_4xx, errors_5xx, histogram from public.request_metrics where route_group in ('v1:version', 'v1:items') and minute >= $1 order by route_group",
        [minute.toISOString()],
      );
      const version = rows.rows.filter((r) => r.route_group === "v1:version");
      expect(version.reduce((a, r) => a + r.requests, 0)).toBe(4);
      expect(version.reduce((a, r) => a + r.errors_5xx, 0)).toBe(1);
      expect(version.reduce((a, r) => a + r.histogram[7], 0)).toBe(1); // 4.2 s: the 3–5 s bucket
      expect(rows.rows.find((r) => r.route_group === "v1:items")).toMatchObject({ requests: 1, errors_4xx: 1, errors_5xx: 0 });
    } finally {
      setEnv({ OPS_METRICS: "off" });
      resetMetrics();
    }
  });

  it("with OPS_METRICS off nothing is counted", async () => {
    resetMetrics();
    await request("GET", "/api/v1/version");
    expect(await flushMetrics()).toBe(0);
  });
});

describe("GET /api/cron/alerts", () => {
  it("refuses without the cron secret and records nothing", async () => {
    const runs = async () => Number((await db.query<{ n: number }>("select count(*)::int as n from public.ops_job_runs where job = 'alerts'")).rows[0].n);
    const before = await runs();
    for (const auth of [undefined, "Bearer wrong-secret-wrong-secret"]) {
      const res = await request("GET", "/api/cron/alerts", { headers: auth ? { authorization: auth } : {} });
      expect(res.status).toBe(401);
    }
    expect(await runs()).toBe(before);
  });

  it("runs the rules at the real time and records the run with its outcome", async () => {
    const res = await request("GET", "/api/cron/alerts", { headers: { authorization: `Bearer ${SECRET}` } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.rules.map((r: { rule: string }) => r.rule)).toEqual(["error_rate", "p95", "db_connections", "db_size", "backup_age", "failed_sign_ins", "stale_uploads", "waiting_flows", "stale_jobs"]);
    const last = (await db.query<{ ok: boolean; details: { checked_at: string } }>("select ok, details from public.ops_job_runs where job = 'alerts' order by id desc limit 1")).rows[0];
    expect(last.ok).toBe(true);
    expect(last.details.checked_at).toBe(res.body.data.checked_at);
    // The sample of the database's figures for the status page.
    expect((await db.query("select 1 from public.ops_samples where sampled_at = $1", [res.body.data.checked_at])).rows).toHaveLength(1);
  });

  it("a failing low-stock digest is recorded as a failed run", async () => {
    setEnv({ SLACK_WEBHOOK_URL: "http://127.0.0.1:9/nothing-listens-here" });
    try {
      await db.query("update public.notifications set delivered_at = null, delivery_claimed_until = null where id = (select id from public.notifications order by created_at desc limit 1)");
      const res = await request("GET", "/api/cron/low-stock-digest", { headers: { authorization: `Bearer ${SECRET}` } });
      expect(res.status).toBe(503);
      const last = (await db.query<{ ok: boolean; error: string | null }>("select ok, error from public.ops_job_runs where job = 'low-stock-digest' order by id desc limit 1")).rows[0];
      expect(last).toMatchObject({ ok: false, error: expect.stringMatching(/\S/) });
    } finally {
      setEnv({ SLACK_WEBHOOK_URL: slack.url });
    }
  });
});
