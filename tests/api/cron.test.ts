import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { stockInvariantViolations } from "@/lib/data/stocks";
import { pruneFlowDailyTotals } from "@/lib/jobs/retention";
import { openTestDatabase } from "../helpers/pglite";
import { USERS } from "../helpers/demo";
import { client, request } from "../helpers/router";
import { setEnv } from "../helpers/env";

// The scheduled jobs under /api/cron/* through their route handlers, on this file's own embedded
// database, with a fake Slack incoming webhook on loopback: the cron secret, the low-stock digest
// (retries, failures that leave notices for the next run, never a notice sent twice), audit-log
// retention and Idempotency-Key pruning.

const SECRET = "cron-secret-for-tests-0123456789";
const SEL = "10000000-0000-4000-8000-000000000001";
const JOBS = ["/api/cron/low-stock-digest", "/api/cron/audit-retention", "/api/cron/idempotency-prune"];

const korean = client("korean");
const manager = client("manager");

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

// --- the fake Slack webhook --------------------------------------------------------------------

type Posted = { text: string; blocks?: unknown[] };
const slack = {
  server: undefined as Server | undefined,
  url: "",
  received: [] as Posted[],
  /** Statuses for the next requests, in order; 200 once they run out. */
  script: [] as number[],
};

function startSlack(): Promise<void> {
  slack.server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      slack.received.push(JSON.parse(body) as Posted);
      const status = slack.script.shift() ?? 200;
      res.writeHead(status, { "Content-Type": "text/plain" });
      res.end(status === 200 ? "ok" : status === 404 ? "no_service" : "internal_error");
    });
  });
  return new Promise((resolve) => {
    slack.server!.listen(0, "127.0.0.1", () => {
      slack.url = `http://127.0.0.1:${(slack.server!.address() as AddressInfo).port}/services/T000/B000/XXXX`;
      resolve();
    });
  });
}

const saved = { ...process.env };


const runJob = (path: string, authorization?: string) =>
  request("GET", path, { headers: authorization === undefined ? {} : { authorization } });

// --- data ---------------------------------------------------------------------------------------

let n = 0;

/** An item taken from 10 units to 2 (reorder point 5) by committed flows: one low-stock notice. */
async function lowStockItem(): Promise<{ id: string; sku: string }> {
  const sku = `CRON-${Date.now().toString(36).toUpperCase()}-${n++}`;
  const created = await korean.post("/api/v1/items", { sku, name_ko: `크론 ${sku}`, reorder_point: 5, unit_cost: 100 });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.data.id as string;
  for (const [kind, qty] of [["inbounds", 10], ["outbounds", 8]] as const) {
    const flow = await korean.post(`/api/v1/${kind}`, { location_id: SEL, lines: [{ item_id: id, qty }] });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    const fid = flow.body.data.id;
    expect((await korean.post(`/api/v1/${kind}/${fid}/submit`)).status).toBe(200);
    expect((await manager.post(`/api/v1/${kind}/${fid}/approve`)).status).toBe(200);
    expect((await manager.post(`/api/v1/${kind}/${fid}/commit`)).status).toBe(200);
  }
  return { id, sku };
}

type NoticeState = { delivered_at: string | null; delivery_claimed_until: string | null; last_delivery_error: string | null; delivery_attempts: number };

async function notices(itemIds: string[]): Promise<NoticeState[]> {
  const r = await db.query<NoticeState>(
    `select delivered_at, delivery_claimed_until, last_delivery_error, delivery_attempts
     from public.notifications where item_id = any ($1::uuid[]) order by created_at`,
    [itemIds],
  );
  return r.rows;
}

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  await startSlack();
  setEnv({ CRON_SECRET: SECRET, SLACK_WEBHOOK_URL: slack.url });
  // Notices of the demo data are not this file's: out of the way, so each test sees only its own.
  await db.query("update public.notifications set delivered_at = now() where delivered_at is null");
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

// --- tests --------------------------------------------------------------------------------------

describe("the cron secret", () => {
  it.each(JOBS)("%s refuses no secret, a wrong one and another scheme with 401, and does nothing", async (path) => {
    const item = await lowStockItem();
    for (const auth of [undefined, "Bearer wrong-secret-wrong-secret", `Basic ${SECRET}`, SECRET, `Bearer ${SECRET}x`]) {
      const res = await runJob(path, auth);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    expect(slack.received).toHaveLength(0);
    expect((await notices([item.id]))[0]).toMatchObject({ delivered_at: null, delivery_attempts: 0 });
    await db.query("update public.notifications set delivered_at = now() where item_id = $1", [item.id]);
  });

  it.each(JOBS)("%s refuses everything, even the old secret, while CRON_SECRET is unset", async (path) => {
    setEnv({ CRON_SECRET: undefined });
    try {
      expect((await runJob(path, `Bearer ${SECRET}`)).status).toBe(401);
      expect((await runJob(path)).status).toBe(401);
    } finally {
      setEnv({ CRON_SECRET: SECRET });
    }
    expect(slack.received).toHaveLength(0);
  });
});

describe("low-stock digest", () => {
  it("posts one digest listing the low-stock items, marks the notices delivered, and never posts them again", async () => {
    const a = await lowStockItem();
    const b = await lowStockItem();
    const res = await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ status: "sent", notifications: 2, items: 2, attempts: 1 });
    expect(slack.received).toHaveLength(1);
    const text = slack.received[0].text;
    expect(text).toContain("Low stock: 2 items");
    expect(text).toContain(`${a.sku} 크론 ${a.sku}: 2 EA on hand, reorder point 5`);
    expect(text).toContain(b.sku);
    expect(slack.received[0].blocks).toHaveLength(2);
    for (const s of await notices([a.id, b.id])) {
      expect(s.delivered_at).not.toBeNull();
      expect(s.delivery_claimed_until).toBeNull();
    }

    const again = await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual({ status: "nothing_to_send" });
    expect(slack.received).toHaveLength(1);
    expect(await stockInvariantViolations()).toEqual([]);
  });

  it("retries a failing webhook: failing twice then succeeding delivers once", async () => {
    const a = await lowStockItem();
    slack.script = [500, 503];
    const res = await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ status: "sent", notifications: 1, attempts: 3 });
    expect(slack.received).toHaveLength(3);
    expect(slack.received.every((m) => m.text.includes(a.sku))).toBe(true);
    const [state] = await notices([a.id]);
    expect(state.delivered_at).not.toBeNull();
    expect(state.delivery_attempts).toBe(1);

    expect((await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`)).body.data.status).toBe("nothing_to_send");
    expect(slack.received).toHaveLength(3);
  });

  it("keeps the notices undelivered when the webhook always fails, and a later run delivers them", async () => {
    const a = await lowStockItem();
    slack.script = [500, 500, 500];
    const res = await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: "unavailable", details: { notifications: 1 } });
    expect(slack.received).toHaveLength(3);
    const [failed] = await notices([a.id]);
    expect(failed).toMatchObject({ delivered_at: null, delivery_claimed_until: null, delivery_attempts: 1 });
    expect(failed.last_delivery_error).toContain("HTTP 500");

    const later = await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`);
    expect(later.status).toBe(200);
    expect(later.body.data).toMatchObject({ status: "sent", notifications: 1 });
    expect(slack.received).toHaveLength(4);
    expect(slack.received[3].text).toContain(a.sku);
    const [delivered] = await notices([a.id]);
    expect(delivered).toMatchObject({ delivery_claimed_until: null, last_delivery_error: null, delivery_attempts: 2 });
    expect(delivered.delivered_at).not.toBeNull();
  });

  it("does not retry a webhook Slack refuses for good (404), and keeps the notices", async () => {
    const a = await lowStockItem();
    slack.script = [404];
    const res = await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`);
    expect(res.status).toBe(503);
    expect(slack.received).toHaveLength(1);
    expect((await notices([a.id]))[0]).toMatchObject({ delivered_at: null, last_delivery_error: "HTTP 404: no_service" });
    expect((await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`)).status).toBe(200);
    expect((await notices([a.id]))[0].delivered_at).not.toBeNull();
  });

  it("leaves the notices waiting when no webhook is configured", async () => {
    const a = await lowStockItem();
    setEnv({ SLACK_WEBHOOK_URL: undefined });
    try {
      const res = await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ status: "not_configured", pending: true });
    } finally {
      setEnv({ SLACK_WEBHOOK_URL: slack.url });
    }
    expect((await notices([a.id]))[0]).toMatchObject({ delivered_at: null, delivery_attempts: 0 });
    expect((await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`)).body.data.notifications).toBe(1);
  });

  it("never hands a notice claimed by a run still in progress to a second run", async () => {
    const a = await lowStockItem();
    await db.query("update public.notifications set delivery_claimed_until = now() + interval '5 minutes' where item_id = $1", [a.id]);
    expect((await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`)).body.data.status).toBe("nothing_to_send");
    expect(slack.received).toHaveLength(0);
    // A run that died leaves a claim that expires; the next run sends the notice.
    await db.query("update public.notifications set delivery_claimed_until = now() - interval '1 second' where item_id = $1", [a.id]);
    expect((await runJob("/api/cron/low-stock-digest", `Bearer ${SECRET}`)).body.data.status).toBe("sent");
    expect(slack.received[0].text).toContain(a.sku);
  });
});

describe("audit-log retention", () => {
  it("deletes rows older than a year and security events older than three years, nothing else", async () => {
    const tag = `retention-${randomUUID()}`;
    const rows: [string, boolean, string][] = [
      ["regular-new", false, "1 day"],
      ["regular-364d", false, "364 days"],
      ["regular-366d", false, "366 days"],
      ["regular-5y", false, "5 years"],
      ["security-366d", true, "366 days"],
      ["security-2y11m", true, "2 years 11 months"],
      ["security-3y1d", true, "3 years 1 day"],
    ];
    for (const [name, security, age] of rows) {
      await db.query(
        `insert into public.audit_log (actor_id, action, table_name, row_id, after, security_event, created_at)
         values ($1, 'update', $2, $3, '{}'::jsonb, $4, now() - $5::interval)`,
        [USERS.admin.id, tag, name, security, age],
      );
    }
    const before = (await db.query<{ n: number }>("select count(*)::int as n from public.audit_log where table_name <> $1", [tag])).rows[0].n;

    const res = await runJob("/api/cron/audit-retention", `Bearer ${SECRET}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toEqual({ deleted: 3, deleted_security: 1 });
    const kept = await db.query<{ row_id: string }>("select row_id from public.audit_log where table_name = $1 order by row_id", [tag]);
    expect(kept.rows.map((r) => r.row_id)).toEqual(["regular-364d", "regular-new", "security-2y11m", "security-366d"]);
    const after = (await db.query<{ n: number }>("select count(*)::int as n from public.audit_log where table_name <> $1", [tag])).rows[0].n;
    expect(after).toBe(before);

    expect((await runJob("/api/cron/audit-retention", `Bearer ${SECRET}`)).body.data).toEqual({ deleted: 0, deleted_security: 0 });
  });
});

describe("idempotency-key pruning", () => {
  it("drops keys older than 24 hours and keeps younger ones", async () => {
    const actor = USERS.korean.id;
    const keys: [string, string][] = [
      [`old-${randomUUID()}`, "25 hours"],
      [`older-${randomUUID()}`, "30 days"],
      [`young-${randomUUID()}`, "23 hours"],
      [`fresh-${randomUUID()}`, "1 minute"],
    ];
    for (const [key, age] of keys) {
      await db.query(
        "insert into public.idempotency_keys (actor_id, key, request_hash, response, created_at) values ($1, $2, 'h', '{}'::jsonb, now() - $3::interval)",
        [actor, key, age],
      );
    }
    // The same run drops expired rate-limit windows and keeps live ones.
    const expired = `cron-test:expired:${randomUUID()}`;
    const live = `cron-test:live:${randomUUID()}`;
    await db.query(
      `insert into public.rate_limits (bucket, hits, window_start, expires_at) values
         ($1, 3, now() - interval '2 minutes', now() - interval '1 minute'), ($2, 3, now(), now() + interval '1 minute')`,
      [expired, live],
    );
    const res = await runJob("/api/cron/idempotency-prune", `Bearer ${SECRET}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.deleted).toBeGreaterThanOrEqual(2);
    expect(res.body.data.rate_limits_deleted).toBeGreaterThanOrEqual(1);
    const buckets = await db.query<{ bucket: string }>("select bucket from public.rate_limits where bucket = any ($1::text[])", [[expired, live]]);
    expect(buckets.rows.map((r) => r.bucket)).toEqual([live]);
    const left = await db.query<{ key: string }>("select key from public.idempotency_keys where key = any ($1::text[])", [keys.map(([k]) => k)]);
    expect(left.rows.map((r) => r.key).sort()).toEqual([keys[3][0], keys[2][0]].sort());

    // A key still inside its 24 hours keeps protecting its request.
    const item = (await db.query<{ id: string }>("select id from public.items where active order by sku limit 1")).rows[0].id;
    const body = { location_id: SEL, lines: [{ item_id: item, qty: 1 }], note: "idempotent" };
    const first = await korean.post("/api/v1/inbounds", body, { "Idempotency-Key": `keep-${n}` });
    expect((await runJob("/api/cron/idempotency-prune", `Bearer ${SECRET}`)).body.data.deleted).toBe(0);
    const replay = await korean.post("/api/v1/inbounds", body, { "Idempotency-Key": `keep-${n}` });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
  });
});

describe("job-run retention", () => {
  it("the daily prune run drops job runs older than 30 days and keeps the month's, its own run included", async () => {
    const marker = `retention-${randomUUID()}`;
    for (const age of ["31 days", "30 days 1 hour", "29 days", "1 minute"]) {
      await db.query(
        "insert into public.ops_job_runs (job, started_at, finished_at, ok, details) values ('email', now() - $1::interval, now() - $1::interval, true, $2)",
        [age, { marker, age }],
      );
    }
    const res = await runJob("/api/cron/idempotency-prune", `Bearer ${SECRET}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.job_runs_deleted).toBeGreaterThanOrEqual(2);
    const left = await db.query<{ age: string }>("select details->>'age' as age from public.ops_job_runs where details->>'marker' = $1 order by started_at", [marker]);
    expect(left.rows.map((r) => r.age)).toEqual(["29 days", "1 minute"]);
    const own = await db.query<{ ok: boolean; deleted: number }>("select ok, (details->>'job_runs_deleted')::int as deleted from public.ops_job_runs where job = 'idempotency-prune' order by id desc limit 1");
    expect(own.rows).toEqual([{ ok: true, deleted: res.body.data.job_runs_deleted }]);
  });
});

describe("dashboard daily totals retention", () => {
  it("the daily prune run drops the totals of days more than 92 days back, keeps the rest, and records how many it deleted", async () => {
    const [{ id: item }] = (await db.query<{ id: string }>("select id from public.items order by sku limit 1")).rows;
    for (const back of [500, 93, 92]) {
      await db.query(
        `insert into public.flow_daily_totals (day, kind, item_id, qty, lines)
         values ((now() at time zone 'Asia/Seoul')::date - $1::int, 'adjustment', $2, 1, 1) on conflict do nothing`,
        [back, item],
      );
    }
    const res = await runJob("/api/cron/idempotency-prune", `Bearer ${SECRET}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.flow_daily_totals_deleted).toBeGreaterThanOrEqual(2);
    const oldest = await db.query<{ back: number }>("select max((now() at time zone 'Asia/Seoul')::date - day)::int as back from public.flow_daily_totals");
    expect(oldest.rows).toEqual([{ back: 92 }]);
    const own = await db.query<{ deleted: number }>("select (details->>'flow_daily_totals_deleted')::int as deleted from public.ops_job_runs where job = 'idempotency-prune' order by id desc limit 1");
    expect(own.rows).toEqual([{ deleted: res.body.data.flow_daily_totals_deleted }]);
  });
});

describe("dashboard daily totals retention in batches", () => {
  it("pruneFlowDailyTotals calls the prune again until a batch comes back short, and stops after maxCalls", async () => {
    await pruneFlowDailyTotals();
    const [{ id: item }] = (await db.query<{ id: string }>("select id from public.items order by sku limit 1")).rows;
    for (const back of [400, 300, 200, 100, 93]) {
      await db.query(
        `insert into public.flow_daily_totals (day, kind, item_id, qty, lines)
         values ((now() at time zone 'Asia/Seoul')::date - $1::int, 'outbound', $2, 1, 1) on conflict do nothing`,
        [back, item],
      );
    }
    const old = async () =>
      (
        await db.query<{ back: number }>(
          "select ((now() at time zone 'Asia/Seoul')::date - day)::int as back from public.flow_daily_totals where day < (now() at time zone 'Asia/Seoul')::date - 92 order by day",
        )
      ).rows.map((r) => r.back);
    // One call of two: the two oldest days go, the rest wait for the next run.
    expect(await pruneFlowDailyTotals(2, 1)).toBe(2);
    expect(await old()).toEqual([200, 100, 93]);
    // Calls of two until one deletes fewer: 2 + 1.
    expect(await pruneFlowDailyTotals(2)).toBe(3);
    expect(await old()).toEqual([]);
  });
});

describe("email outbox retention", () => {
  it("the daily prune run drops emails finished more than 90 days ago, keeps waiting ones, and records how many it deleted", async () => {
    const marker = `retention-${randomUUID()}`;
    for (const [status, age] of [["sent", "91 days"], ["failed", "100 days"], ["sent", "89 days"], ["pending", "200 days"]]) {
      await db.query(
        `insert into public.email_outbox (kind, to_address, locale, status, data, updated_at)
         values ('ops_alert', 'oncall@duly.test', 'en', $1, $2, now() - $3::interval)`,
        [status, { marker, status, age }, age],
      );
    }
    const res = await runJob("/api/cron/idempotency-prune", `Bearer ${SECRET}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.email_outbox_deleted).toBeGreaterThanOrEqual(2);
    const left = await db.query<{ status: string; age: string }>("select data->>'status' as status, data->>'age' as age from public.email_outbox where data->>'marker' = $1 order by updated_at", [marker]);
    expect(left.rows).toEqual([{ status: "pending", age: "200 days" }, { status: "sent", age: "89 days" }]);
    const own = await db.query<{ deleted: number }>("select (details->>'email_outbox_deleted')::int as deleted from public.ops_job_runs where job = 'idempotency-prune' order by id desc limit 1");
    expect(own.rows).toEqual([{ deleted: res.body.data.email_outbox_deleted }]);
  });
});

describe("the job functions are the server's only", () => {
  it.each(["anon", "authenticated"] as const)("%s may not execute any jobs_* function", async (role) => {
    for (const fn of ["jobs_audit_retention()", "jobs_prune_idempotency_keys()", "jobs_prune_job_runs()", "jobs_prune_email_outbox()", "jobs_prune_flow_daily_totals()", "jobs_low_stock_claim()", "jobs_low_stock_finish('[]', true)"]) {
      await expect(
        db.transaction(async (tx) => {
          const claims = role === "anon" ? { role } : { sub: USERS.admin.id, role, aud: "authenticated" };
          await tx.query("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [role, JSON.stringify(claims)]);
          await tx.query(`select public.${fn}`);
        }),
      ).rejects.toThrow(/permission denied/);
    }
  });

  it("service_role may", async () => {
    const r = await db.transaction(async (tx) => {
      await tx.query("select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{\"role\":\"service_role\"}', true)");
      return (await tx.query<{ r: unknown }>("select public.jobs_prune_idempotency_keys() as r")).rows[0].r;
    });
    expect(r).toMatchObject({ deleted: expect.any(Number) });
  });
});
