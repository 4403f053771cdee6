import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { env, resetEnvCache } from "@/lib/env";
import { openTestDatabase } from "../helpers/pglite";
import { USERS } from "../helpers/demo";
import { startFakeSmtp, type FakeSmtp } from "../helpers/fake-smtp";
import { client, request } from "../helpers/router";
import { setEnv } from "../helpers/env";

// Email through the HTTP surface: the preferences API (both ways, per role, bad input), the cron
// routes /api/cron/email and /api/cron/approval-digest (secret, not configured, delivery to a
// loopback SMTP server with links from APP_URL), and the environment's validation.

const SECRET = "cron-secret-for-tests-0123456789";
const APP = "https://erp.duly.test";
const acme = client("acme");
const korean = client("korean");
const manager = client("manager");

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
let smtp: FakeSmtp;
const saved = { ...process.env };


// next/server's after() needs a live request scope that these direct handler calls lack; here it
// keeps each callback so a test runs it when the answer is already in hand, as the platform does.
const afterResponse = vi.hoisted(() => [] as (() => unknown)[]);
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (task: () => unknown) => void afterResponse.push(task),
}));

const runJob = (path: string, authorization?: string) => request("GET", path, { headers: authorization === undefined ? {} : { authorization } });

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  smtp = await startFakeSmtp(3376);
  setEnv({ CRON_SECRET: SECRET, SMTP_URL: undefined, MAIL_FROM: undefined, APP_URL: APP });
});

afterAll(async () => {
  process.env = { ...saved };
  resetEnvCache();
  await smtp?.close();
});

beforeEach(async () => {
  await db.query("delete from public.email_outbox");
  await db.query("delete from public.email_preferences");
  smtp.received.length = 0;
  afterResponse.length = 0;
});

async function scheduledInspection(): Promise<{ id: string; number: string }> {
  const created = await acme.post("/api/v1/inspections", { product: "Cron monitor", factory_name: "Cron factory", inspection_type: "pre_shipment", requested_date: "2027-04-01" });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const { id, number } = created.body.data;
  const scheduled = await korean.post(`/api/v1/inspections/${id}/schedule`, { scheduled_date: "2027-04-02", inspector_id: USERS.korean.id });
  expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
  return { id, number };
}

describe("email preferences API", () => {
  it("a customer reads and changes their own", async () => {
    const got = await acme.get("/api/v1/auth/me/email-preferences");
    expect(got.status).toBe(200);
    expect(got.body.data.preferences).toEqual({ inspection_scheduled: true, inspection_report_ready: true, inspection_completed: true, thread_message: true });
    const off = await acme.patch("/api/v1/auth/me/email-preferences", { thread_message: false });
    expect(off.status).toBe(200);
    expect(off.body.data.preferences.thread_message).toBe(false);
    const on = await acme.patch("/api/v1/auth/me/email-preferences", { thread_message: true });
    expect(on.body.data.preferences.thread_message).toBe(true);
  });

  it("an approver has the digest, and may not turn on a customer's kind", async () => {
    expect((await manager.get("/api/v1/auth/me/email-preferences")).body.data.preferences).toEqual({ approval_digest: true });
    const refused = await manager.patch("/api/v1/auth/me/email-preferences", { thread_message: false });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("validation_failed");
    expect((await db.query("select * from public.email_preferences")).rows).toEqual([]);
  });

  it("a customer may not change the approvers' digest; empty, unknown or non-boolean bodies are refused; nothing written", async () => {
    for (const body of [{ approval_digest: false }, {}, { everything: false }, { thread_message: "off" }]) {
      const res = await acme.patch("/api/v1/auth/me/email-preferences", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe("validation_failed");
    }
    expect((await db.query("select * from public.email_preferences")).rows).toEqual([]);
  });

  it("anonymous callers get 401", async () => {
    expect((await request("GET", "/api/v1/auth/me/email-preferences")).status).toBe(401);
    expect((await request("PATCH", "/api/v1/auth/me/email-preferences", { body: { thread_message: false } })).status).toBe(401);
  });
});

describe("/api/cron/email", () => {
  it("refuses callers without the cron secret", async () => {
    expect((await runJob("/api/cron/email")).status).toBe(401);
    expect((await runJob("/api/cron/email", "Bearer wrong-secret-wrong-secret")).status).toBe(401);
    expect((await runJob("/api/cron/approval-digest")).status).toBe(401);
  });

  it("without SMTP_URL and MAIL_FROM the email waits in the outbox, and the answer says so", async () => {
    await scheduledInspection();
    const res = await runJob("/api/cron/email", `Bearer ${SECRET}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: "not_configured", outbox: { pending: 1, failed: 0 } });
  });

  it("each run is recorded as the email job's, with what it did (the status page's last run)", async () => {
    await db.query("delete from public.ops_job_runs where job = 'email'");
    await scheduledInspection();
    await runJob("/api/cron/email", `Bearer ${SECRET}`);
    setEnv({ SMTP_URL: smtp.url, MAIL_FROM: "Duly ERP <erp@duly.test>" });
    try {
      expect((await runJob("/api/cron/email", `Bearer ${SECRET}`)).body.data).toMatchObject({ sent: 1 });
    } finally {
      setEnv({ SMTP_URL: undefined, MAIL_FROM: undefined });
    }
    const runs = (await db.query<{ ok: boolean; details: Record<string, unknown>; error: string | null }>("select ok, details, error from public.ops_job_runs where job = 'email' order by id")).rows;
    expect(runs).toEqual([
      { ok: true, details: { status: "not_configured" }, error: null },
      { ok: true, details: { status: "done", sent: 1, failed: 0, claimed: 1 }, error: null },
    ]);
  });

  it("configured: sends what is waiting over SMTP, with the link from APP_URL, once", async () => {
    const ins = await scheduledInspection();
    setEnv({ SMTP_URL: smtp.url, MAIL_FROM: "Duly ERP <erp@duly.test>" });
    try {
      const res = await runJob("/api/cron/email", `Bearer ${SECRET}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: "done", sent: 1, outbox: { pending: 0, sent_24h: 1 } });
      expect((await runJob("/api/cron/email", `Bearer ${SECRET}`)).body.data).toMatchObject({ sent: 0 });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0].to).toEqual([USERS.acme.email]);
      expect(smtp.received[0].subject).toBe(`검품 일정 확정: ${ins.number}`);
      expect(smtp.received[0].text).toContain(`${APP}/portal/inspections/${ins.id}`);
    } finally {
      setEnv({ SMTP_URL: undefined, MAIL_FROM: undefined });
    }
  });

  it("configured: the request that queued an email sends it right after its answer (after()), and the cron job then sends nothing", async () => {
    setEnv({ SMTP_URL: smtp.url, MAIL_FROM: "Duly ERP <erp@duly.test>" });
    try {
      const ins = await scheduledInspection();
      // The answer came back without waiting on mail.
      expect(smtp.received).toEqual([]);
      expect(afterResponse.length).toBeGreaterThan(0);
      await Promise.all(afterResponse.splice(0).map((task) => task()));
      expect(smtp.received.map((m) => m.subject)).toEqual([`검품 일정 확정: ${ins.number}`]);
      expect((await runJob("/api/cron/email", `Bearer ${SECRET}`)).body.data).toMatchObject({ sent: 0, claimed: 0, outbox: { pending: 0, sent_24h: 1 } });
      expect(smtp.received).toHaveLength(1);
    } finally {
      setEnv({ SMTP_URL: undefined, MAIL_FROM: undefined });
    }
  });

  it("not configured: the request leaves nothing to run after it; the email waits", async () => {
    await scheduledInspection();
    expect(afterResponse).toEqual([]);
    expect((await db.query("select status from public.email_outbox")).rows).toEqual([{ status: "pending" }]);
  });

  it("/api/cron/approval-digest queues the day's digests once", async () => {
    const first = await runJob("/api/cron/approval-digest", `Bearer ${SECRET}`);
    expect(first.status).toBe(200);
    const again = await runJob("/api/cron/approval-digest", `Bearer ${SECRET}`);
    expect(again.body.data.queued).toBe(0);
    const rows = (await db.query<{ recipient_id: string }>("select recipient_id from public.email_outbox where kind = 'approval_digest'")).rows;
    expect(rows.length).toBe(first.body.data.queued);
    for (const r of rows) expect([USERS.admin.id, USERS.manager.id]).toContain(r.recipient_id);
    // Each run is on the status page's job runs, with what it queued.
    const runs = (await db.query<{ ok: boolean; details: { queued: number } }>("select ok, details from public.ops_job_runs where job = 'approval-digest' order by id")).rows;
    expect(runs.map((r) => [r.ok, r.details.queued])).toEqual([[true, first.body.data.queued], [true, 0]]);
  });
});

describe("email settings in the environment", () => {
  afterAll(() => setEnv({ SMTP_URL: undefined, MAIL_FROM: undefined, APP_URL: APP }));

  it.each([
    ["SMTP_URL", "http://mail.example.com"],
    ["SMTP_URL", "not a url"],
    ["MAIL_FROM", "nobody"],
    ["APP_URL", "https://erp.example.com/path"],
  ])("%s=%s is refused at start", (name, value) => {
    setEnv({ [name]: value });
    expect(() => env()).toThrow(name);
    setEnv({ [name]: undefined });
  });

  it.each([
    ["SMTP_URL", "smtp://user:pass@smtp.example.com:587"],
    ["SMTP_URL", "smtps://smtp.example.com"],
    ["MAIL_FROM", "Duly ERP <erp@example.com>"],
    ["MAIL_FROM", "erp@example.com"],
  ])("%s=%s is accepted", (name, value) => {
    setEnv({ [name]: value });
    expect(() => env()).not.toThrow();
    setEnv({ [name]: undefined });
  });
});
