import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { createInspection, completeInspection, markInspectionReportReady, scheduleInspection, startInspection } from "@/lib/data/inspections";
import { markThreadRead, sendMessage } from "@/lib/data/messages";
import { getEmailPreferences, updateEmailPreferences } from "@/lib/data/email-preferences";
import { createFlow, flowAction } from "@/lib/data/flows";
import { deliverOutbox, smtpMailer, type Mailer, type MailConfig } from "@/lib/mail";
import { queueApprovalDigests, queueEmail } from "@/lib/mail/outbox";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, USERS } from "../helpers/demo";
import { createTestSessions } from "../helpers/sessions";
import { startFakeSmtp, type FakeSmtp } from "../helpers/fake-smtp";
import { rpc } from "../helpers/rpc-as";
import { attempt, become, sqlAs, withRole } from "../helpers/sql-as";
import { databaseForSuite } from "../helpers/test-db";

// The email outbox (supabase/migrations/20261207150100_email_outbox.sql) and its delivery
// (lib/mail) against a real SMTP server on loopback: what each event queues, for whom, in which
// language; preferences both ways; thread batching and read-before-send; backoff under a failing
// server with nothing lost; and that nobody but the server reads the outbox.

const appError = (code: string) => expect.objectContaining({ name: "AppError", code });
const APP = "https://erp.example.test";

describe("email outbox: database contract and delivery", () => {
  const getDb = databaseForSuite(contractDb);
  // Each engine's run of this suite has its own port (both may run at once).
  const port = inject("contractEngine") === "postgres" ? 3373 : 3371;
  let smtp: FakeSmtp;
  let config: MailConfig;

  beforeAll(async () => {
    smtp = await startFakeSmtp(port);
    config = { smtpUrl: smtp.url, from: "Duly ERP <erp@duly.test>", appUrl: APP };
  });
  afterAll(async () => smtp?.close());

  beforeEach(async () => {
    await getDb().query("delete from public.email_outbox");
    await getDb().query("delete from public.email_preferences");
    await getDb().query("update public.profiles set locale = 'ko' where id = any($1)", [[USERS.acme.id, USERS.bluesky.id]]);
    smtp.received.length = 0;
    smtp.mode = "accept";
  });

  const outbox = (where = "true") =>
    getDb().query<{ id: string; kind: string; recipient_id: string | null; customer_id: string | null; inspection_id: string | null; status: string; attempts: number; skipped_reason: string | null; last_error: string | null; due_in: number; data: Record<string, unknown> }>(
      `select id, kind, recipient_id, customer_id, inspection_id, status, attempts, skipped_reason, last_error, data,
              extract(epoch from next_attempt_at - now())::float8 as due_in
       from public.email_outbox where ${where} order by created_at, id`,
    );
  const makeDue = () => getDb().query("update public.email_outbox set next_attempt_at = now() - interval '1 second' where status = 'pending'");
  const deliver = () => deliverOutbox({ config });

  async function newInspection(customer: "acme" | "bluesky", product = "Probe monitor") {
    const row = await createInspection(as(customer), {
      product,
      factory_name: `${product} factory`,
      inspection_type: "pre_shipment",
      requested_date: "2027-03-01",
    } as never);
    return row as { id: string; number: string };
  }
  const schedule = (id: string, date = "2027-03-02") => scheduleInspection(as("korean"), id, { scheduled_date: date, inspector_id: USERS.korean.id });

  describe("who may touch it", () => {
    it.each(["anon", "acme", "bluesky", "korean", "admin"] as const)("%s cannot read or write the outbox directly", async (who) => {
      await getDb().query(`insert into public.email_outbox (kind, to_address, locale, data) values ('ops_alert', 'oncall@duly.test', 'en', '{"subject":"x","text":"y"}')`);
      await expect(sqlAs(getDb(), who, "select * from public.email_outbox")).rejects.toMatchObject({ code: "42501" });
      await expect(sqlAs(getDb(), who, "insert into public.email_outbox (kind, to_address, locale) values ('ops_alert', 'x@y.z', 'en')")).rejects.toMatchObject({ code: "42501" });
    });

    it("the service role reads it", async () => {
      await getDb().query(`insert into public.email_outbox (kind, to_address, locale, data) values ('ops_alert', 'oncall@duly.test', 'en', '{}')`);
      expect(await sqlAs(getDb(), "service_role", "select kind from public.email_outbox")).toEqual([{ kind: "ops_alert" }]);
    });

    it.each(["acme", "korean", "admin"] as const)("%s may not run the delivery functions", async (who) => {
      for (const sql of ["select public.jobs_email_claim(10, 60)", "select public.jobs_email_outbox_status()", "select public.jobs_email_queue_approval_digest(null)",
        "select public.email_enqueue('x@y.z', 'en', '{}'::jsonb, null)"]) {
        await expect(sqlAs(getDb(), who, sql)).rejects.toMatchObject({ code: "42501" });
      }
    });

    it("each user reads only their own preferences row", async () => {
      await updateEmailPreferences(as("acme"), { thread_message: false });
      await updateEmailPreferences(as("bluesky"), { thread_message: false });
      const acmeRows = await sqlAs<{ user_id: string }>(getDb(), "acme", "select user_id from public.email_preferences");
      expect(acmeRows).toEqual([{ user_id: USERS.acme.id }]);
      expect(await sqlAs(getDb(), "korean", "select user_id from public.email_preferences")).toEqual([]);
      await expect(sqlAs(getDb(), "acme", "update public.email_preferences set thread_message = true")).rejects.toMatchObject({ code: "42501" });
    });
  });

  describe("preferences", () => {
    it("each role gets the kinds it receives: customers the inspection and thread emails, approvers the digest, other staff none", async () => {
      expect((await getEmailPreferences(as("acme"))).preferences).toEqual({
        inspection_completed: true, inspection_report_ready: true, inspection_scheduled: true, thread_message: true,
      });
      expect((await getEmailPreferences(as("manager"))).preferences).toEqual({ approval_digest: true });
      expect((await getEmailPreferences(as("admin"))).preferences).toEqual({ approval_digest: true });
      expect((await getEmailPreferences(as("korean"))).preferences).toEqual({});
    });

    it("a kind the role does not receive, or a value that is not a boolean, is refused and nothing changes", async () => {
      await expect(updateEmailPreferences(as("acme"), { approval_digest: false })).rejects.toEqual(appError("validation_failed"));
      await expect(updateEmailPreferences(as("admin"), { thread_message: false })).rejects.toEqual(appError("validation_failed"));
      await withRole(getDb(), "acme", async (q) => {
        const r = await attempt(q, `select public.email_preferences_update('{"thread_message": "no"}'::jsonb)`);
        expect(r.ok).toBe(false);
      });
      expect(await getDb().query("select * from public.email_preferences")).toEqual([]);
    });

    it("p_actor names nobody else: a customer's own token changes only their own row", async () => {
      await withRole(getDb(), "acme", async (q) => {
        await q(`select public.email_preferences_update('{"thread_message": false}'::jsonb, $1)`, [USERS.bluesky.id]);
        expect(await q("select user_id, thread_message from public.email_preferences")).toEqual([{ user_id: USERS.acme.id, thread_message: false }]);
      });
    });

    it("anon may not read or change preferences", async () => {
      await expect(sqlAs(getDb(), "anon", "select public.email_preferences_get()")).rejects.toMatchObject({ code: "42501" });
    });
  });

  describe("inspection events", () => {
    it("scheduling, the report and completion each queue one email for the company's customer user, in the same transaction", async () => {
      const ins = await newInspection("acme");
      expect(await outbox()).toEqual([]);
      await schedule(ins.id);
      await startInspection(as("korean"), ins.id);
      await markInspectionReportReady(as("korean"), ins.id, "pass");
      await completeInspection(as("korean"), ins.id, "pass");
      const rows = await outbox();
      expect(rows.map((r) => [r.kind, r.recipient_id, r.customer_id, r.inspection_id])).toEqual([
        ["inspection_scheduled", USERS.acme.id, CUSTOMERS.acme, ins.id],
        ["inspection_report_ready", USERS.acme.id, CUSTOMERS.acme, ins.id],
        ["inspection_completed", USERS.acme.id, CUSTOMERS.acme, ins.id],
      ]);
      expect(rows[0].data).toMatchObject({ number: ins.number, product: "Probe monitor", scheduled_date: "2027-03-02", rescheduled: false });
      expect(rows[2].data).toMatchObject({ result: "pass" });
    });

    it("a refused step queues nothing (the email is part of the step's transaction)", async () => {
      const ins = await newInspection("acme");
      await expect(completeInspection(as("korean"), ins.id, "pass")).rejects.toEqual(appError("invalid_state"));
      await expect(scheduleInspection(as("korean"), ins.id, { scheduled_date: "2027-03-02", inspector_id: USERS.acme.id })).rejects.toEqual(appError("validation_failed"));
      expect(await outbox()).toEqual([]);
    });

    it("moving the date queues a 'date changed' email; scheduling again on the same date queues nothing", async () => {
      const ins = await newInspection("acme");
      await schedule(ins.id, "2027-03-02");
      await schedule(ins.id, "2027-03-02");
      await schedule(ins.id, "2027-03-05");
      const rows = await outbox();
      expect(rows.map((r) => r.data.rescheduled)).toEqual([false, true]);
    });

    it("preferences off: nothing is queued; on again: queued", async () => {
      await updateEmailPreferences(as("acme"), { inspection_scheduled: false });
      const a = await newInspection("acme");
      await schedule(a.id);
      expect(await outbox()).toEqual([]);
      await updateEmailPreferences(as("acme"), { inspection_scheduled: true });
      const b = await newInspection("acme");
      await schedule(b.id);
      expect((await outbox()).map((r) => r.inspection_id)).toEqual([b.id]);
    });

    it("turned off after it was queued: skipped when its turn comes, nothing sent", async () => {
      const ins = await newInspection("acme");
      await schedule(ins.id);
      await updateEmailPreferences(as("acme"), { inspection_scheduled: false });
      expect(await deliver()).toEqual({ status: "done", sent: 0, failed: 0, claimed: 0 });
      expect((await outbox()).map((r) => [r.status, r.skipped_reason])).toEqual([["skipped", "preference_off"]]);
      expect(smtp.received).toEqual([]);
    });

    it("a deactivated recipient is skipped", async () => {
      const ins = await newInspection("acme");
      await schedule(ins.id);
      await getDb().query("update public.profiles set active = false where id = $1", [USERS.acme.id]);
      try {
        await deliver();
      } finally {
        await getDb().query("update public.profiles set active = true where id = $1", [USERS.acme.id]);
        // Deactivation ended the user's sessions; the other tests sign in with the standing one.
        await createTestSessions(getDb().query, [USERS.acme.id]);
      }
      expect((await outbox()).map((r) => r.skipped_reason)).toEqual(["recipient_inactive"]);
      expect(smtp.received).toEqual([]);
    });
  });

  describe("delivery", () => {
    it("sends each email once, in the recipient's language, with the link to the record and only their own company's data", async () => {
      await getDb().query("update public.profiles set locale = 'zh' where id = $1", [USERS.acme.id]);
      await getDb().query("update public.profiles set locale = 'en' where id = $1", [USERS.bluesky.id]);
      const a = await newInspection("acme", "ACME widget");
      const b = await newInspection("bluesky", "BlueSky gadget");
      await schedule(a.id);
      await schedule(b.id);
      expect(await deliver()).toEqual({ status: "done", sent: 2, failed: 0, claimed: 2 });
      expect(await deliver()).toEqual({ status: "done", sent: 0, failed: 0, claimed: 0 });
      expect(smtp.received).toHaveLength(2);
      const toAcme = smtp.received.find((m) => m.to.includes(USERS.acme.email))!;
      const toBlue = smtp.received.find((m) => m.to.includes(USERS.bluesky.email))!;
      expect(toAcme.subject).toBe(`验货已排期：${a.number}`);
      expect(toAcme.text).toContain(`${APP}/portal/inspections/${a.id}`);
      expect(toAcme.html).toContain(`href="${APP}/portal/inspections/${a.id}"`);
      expect(toAcme.text).toContain("ACME widget");
      expect(toAcme.from).toBe("erp@duly.test");
      expect(toBlue.subject).toBe(`Inspection scheduled: ${b.number}`);
      // Nothing of the other company in either email.
      for (const bit of [b.number, b.id, "BlueSky gadget", USERS.bluesky.email]) expect(toAcme.raw).not.toContain(bit);
      for (const bit of [a.number, a.id, "ACME widget", USERS.acme.email]) expect(toBlue.raw).not.toContain(bit);
      expect((await outbox()).map((r) => r.status)).toEqual(["sent", "sent"]);
    });

    it("without SMTP configured, mail waits in the outbox", async () => {
      const ins = await newInspection("acme");
      await schedule(ins.id);
      expect(await deliverOutbox({ config: undefined })).toEqual({ status: "not_configured" });
      expect((await outbox()).map((r) => [r.status, r.attempts])).toEqual([["pending", 0]]);
    });

    it("a failing server: retried with exponential backoff, nothing lost, delivered once it works again", async () => {
      const ins = await newInspection("acme");
      await schedule(ins.id);
      smtp.mode = "fail";
      expect(await deliver()).toMatchObject({ sent: 0, failed: 1 });
      let [row] = await outbox();
      expect(row).toMatchObject({ status: "pending", attempts: 1 });
      expect(row.last_error).toContain("451");
      expect(row.due_in).toBeGreaterThan(50);
      expect(row.due_in).toBeLessThanOrEqual(60);
      // Not due yet: a run now sends nothing and does not count an attempt.
      expect(await deliver()).toMatchObject({ claimed: 0 });
      await makeDue();
      await deliver();
      [row] = await outbox();
      expect(row).toMatchObject({ status: "pending", attempts: 2 });
      expect(row.due_in).toBeGreaterThan(110);
      expect(row.due_in).toBeLessThanOrEqual(120);
      // A server that is down altogether (nothing listening).
      await makeDue();
      expect(await deliverOutbox({ config: { ...config, smtpUrl: "smtp://127.0.0.1:3379" } })).toMatchObject({ failed: 1 });
      [row] = await outbox();
      expect(row).toMatchObject({ status: "pending", attempts: 3 });
      expect(row.due_in).toBeGreaterThan(230);
      expect(smtp.received).toEqual([]);
      smtp.mode = "accept";
      await makeDue();
      expect(await deliver()).toMatchObject({ sent: 1, failed: 0 });
      expect(await deliver()).toMatchObject({ claimed: 0 });
      expect(smtp.received.map((m) => m.subject)).toEqual([`검품 일정 확정: ${ins.number}`]);
      expect((await outbox()).map((r) => [r.status, r.attempts])).toEqual([["sent", 4]]);
    });

    it("backoff is capped at an hour and the email fails for good only after the last attempt", async () => {
      const ins = await newInspection("acme");
      await schedule(ins.id);
      await getDb().query("update public.email_outbox set attempts = 46");
      smtp.mode = "fail";
      await deliver();
      let [row] = await outbox();
      expect(row).toMatchObject({ status: "pending", attempts: 47 });
      expect(row.due_in).toBeGreaterThan(3590);
      expect(row.due_in).toBeLessThanOrEqual(3600);
      await makeDue();
      await deliver();
      [row] = await outbox();
      expect(row).toMatchObject({ status: "failed", attempts: 48 });
    });

    it("an address the server rejects for good fails at once (kept, with the error)", async () => {
      const ins = await newInspection("acme");
      await schedule(ins.id);
      smtp.mode = "reject_rcpt";
      await deliver();
      const [row] = await outbox();
      expect(row).toMatchObject({ status: "failed", attempts: 1 });
      expect(row.last_error).toContain("550");
    });

    it("a claim whose lease ran out is taken again; the first holder's late answer changes nothing", async () => {
      const ins = await newInspection("acme");
      await schedule(ins.id);
      const [first] = await sqlAs<{ c: { data: { id: string; claim_token: string }[] } }>(getDb(), "service_role", "select public.jobs_email_claim(10, 60) as c");
      // Committed claim (sqlAs rolls back): claim again for real.
      const claim = await getDb().query<{ c: { data: { id: string; claim_token: string }[] } }>("select public.jobs_email_claim(10, 60) as c");
      expect(first.c.data).toHaveLength(1);
      const token = claim[0].c.data[0].claim_token;
      // Held: nobody else gets it.
      expect((await getDb().query<{ c: { data: unknown[] } }>("select public.jobs_email_claim(10, 60) as c"))[0].c.data).toEqual([]);
      await getDb().query("update public.email_outbox set claimed_until = now() - interval '1 second'");
      const again = (await getDb().query<{ c: { data: { claim_token: string }[] } }>("select public.jobs_email_claim(10, 60) as c"))[0].c.data;
      expect(again).toHaveLength(1);
      const late = await getDb().query<{ r: { updated: boolean } }>("select public.jobs_email_finish($1, $2, true) as r", [claim[0].c.data[0].id, token]);
      expect(late[0].r.updated).toBe(false);
      const now = await getDb().query<{ r: { updated: boolean; status: string } }>("select public.jobs_email_finish($1, $2, true) as r", [claim[0].c.data[0].id, again[0].claim_token]);
      expect(now[0].r).toMatchObject({ updated: true, status: "sent" });
    });

    it("a row whose lease ran out while it waited behind a slow send in its batch is not sent again by the first deliverer", async () => {
      await schedule((await newInspection("acme", "First")).id);
      await schedule((await newInspection("acme", "Second")).id);
      const real = smtpMailer(smtp.url);
      let second: Promise<unknown> | undefined;
      // Deliverer A claims both rows; while its first send is slow, the other row's lease runs out
      // and deliverer B (the next cron run) claims and sends it.
      const slow: Mailer = {
        async send(message) {
          if (!second) {
            const id = message.messageId.slice(1, message.messageId.indexOf("@"));
            await getDb().query("update public.email_outbox set claimed_until = now() - interval '1 second' where status = 'sending' and id <> $1", [id]);
            second = deliver();
            expect(await second).toMatchObject({ sent: 1, claimed: 1 });
          }
          return real.send(message);
        },
      };
      try {
        expect(await deliverOutbox({ config, mailer: slow })).toMatchObject({ sent: 1, failed: 0, claimed: 2 });
      } finally {
        real.close?.();
      }
      expect(smtp.received).toHaveLength(2);
      expect(new Set(smtp.received.map((m) => m.subject)).size).toBe(2);
      // Both sent once: the first by A, the other by B (its second claim), which A then left alone.
      expect((await outbox()).map((r) => `${r.status} ${r.attempts}`).sort()).toEqual(["sent 1", "sent 2"]);
    });

    it("each email's Message-ID is its outbox row's, at the sender's domain", async () => {
      await schedule((await newInspection("acme")).id);
      await deliver();
      const [row] = await outbox();
      expect(smtp.received[0].raw).toMatch(new RegExp(`^Message-ID: <${row.id}@duly\\.test>\r?$`, "im"));
    });
  });

  describe("staff messages in a thread", () => {
    it("batched: one waiting email per thread whatever the number of messages, sent after a short wait, listing them all", async () => {
      const ins = await newInspection("acme");
      await sendMessage(as("korean"), ins.id, "First note about the factory");
      await sendMessage(as("chinese"), ins.id, "Second note: photos attached");
      await sendMessage(as("acme"), ins.id, "A reply from the customer");
      const rows = await outbox();
      expect(rows.map((r) => [r.kind, r.recipient_id, r.status])).toEqual([["thread_message", USERS.acme.id, "pending"]]);
      expect(rows[0].due_in).toBeGreaterThan(100);
      expect(await deliver()).toMatchObject({ claimed: 0 });
      await makeDue();
      await deliver();
      expect(smtp.received).toHaveLength(1);
      const mail = smtp.received[0];
      expect(mail.subject).toBe(`새 메시지: ${ins.number}`);
      expect(mail.text).toContain("First note about the factory");
      expect(mail.text).toContain("Second note: photos attached");
      expect(mail.text).not.toContain("A reply from the customer");
      expect(mail.text).toContain("2건");
    });

    it("at most one email per thread in 15 minutes: the next message waits for the gap", async () => {
      const ins = await newInspection("acme");
      await sendMessage(as("korean"), ins.id, "one");
      await makeDue();
      await deliver();
      await sendMessage(as("korean"), ins.id, "two");
      const waiting = await outbox("status = 'pending'");
      expect(waiting).toHaveLength(1);
      expect(waiting[0].due_in).toBeGreaterThan(14 * 60);
      expect(waiting[0].due_in).toBeLessThanOrEqual(15 * 60);
      // Another thread is not held back by this one.
      const other = await newInspection("acme");
      await sendMessage(as("korean"), other.id, "elsewhere");
      const due = await outbox(`status = 'pending' and inspection_id = '${other.id}'`);
      expect(due[0].due_in).toBeLessThanOrEqual(120);
    });

    it("read before the email went: nothing sent", async () => {
      const ins = await newInspection("acme");
      await sendMessage(as("korean"), ins.id, "Please check the sample");
      await markThreadRead(as("acme"), ins.id);
      await makeDue();
      expect(await deliver()).toMatchObject({ claimed: 0, sent: 0 });
      expect((await outbox()).map((r) => [r.status, r.skipped_reason])).toEqual([["skipped", "read"]]);
      expect(smtp.received).toEqual([]);
    });

    it("thread emails off: nothing queued; on: queued", async () => {
      const ins = await newInspection("acme");
      await updateEmailPreferences(as("acme"), { thread_message: false });
      await sendMessage(as("korean"), ins.id, "quiet");
      expect(await outbox()).toEqual([]);
      await updateEmailPreferences(as("acme"), { thread_message: true });
      await sendMessage(as("korean"), ins.id, "loud");
      expect(await outbox()).toHaveLength(1);
    });

    it("a staff message in one company's thread never reaches another company", async () => {
      const a = await newInspection("acme");
      await sendMessage(as("korean"), a.id, "Only for ACME");
      expect((await outbox()).map((r) => r.recipient_id)).toEqual([USERS.acme.id]);
      await makeDue();
      await deliver();
      expect(smtp.received.flatMap((m) => m.to)).toEqual([USERS.acme.email]);
    });
  });

  describe("approval digest", () => {
    async function submittedFlow(by: "korean" | "manager") {
      const sel = (await getDb().query<{ id: string }>("select id from public.locations where code = 'KR-SEL'"))[0].id;
      const item = (await getDb().query<{ id: string }>("select id from public.items where active order by sku limit 1"))[0].id;
      const flow = (await createFlow(as(by), { kind: "inbound", to_location_id: sel, lines: [{ item_id: item, qty: 1 }] } as never)) as { id: string; number: string };
      await flowAction(as(by), "submit", flow.id);
      return flow;
    }

    it("each approver gets the flows someone else submitted, once a day, in their language", async () => {
      await getDb().query("update public.flows set status = 'cancelled', cancelled_at = now() where status = 'submitted'");
      await getDb().query("update public.profiles set locale = 'en' where id = $1", [USERS.admin.id]);
      const byKorean = await submittedFlow("korean");
      const byManager = await submittedFlow("manager");
      try {
        expect((await queueApprovalDigests("2027-01-04")).queued).toBe(2);
        expect((await queueApprovalDigests("2027-01-04")).queued).toBe(0);
        const rows = await outbox();
        const forManager = rows.find((r) => r.recipient_id === USERS.manager.id)!;
        const forAdmin = rows.find((r) => r.recipient_id === USERS.admin.id)!;
        expect(forManager.data).toMatchObject({ total: 1 });
        expect(forAdmin.data).toMatchObject({ total: 2 });
        expect(rows.some((r) => ([USERS.korean.id, USERS.chinese.id, USERS.acme.id] as string[]).includes(r.recipient_id!))).toBe(false);
        await deliver();
        const toAdmin = smtp.received.find((m) => m.to.includes(USERS.admin.email))!;
        expect(toAdmin.subject).toBe("Flows waiting for your approval: 2");
        expect(toAdmin.text).toContain(byKorean.number);
        expect(toAdmin.text).toContain(`${APP}/flows?status=submitted`);
        const toManager = smtp.received.find((m) => m.to.includes(USERS.manager.email))!;
        expect(toManager.subject).toBe("승인 대기 입출고: 1건");
        expect(toManager.text).not.toContain(byManager.number);
      } finally {
        await getDb().query("update public.profiles set locale = 'ko' where id = $1", [USERS.admin.id]);
      }
    });

    it("digest off: not queued for that approver; on again: queued", async () => {
      await submittedFlow("korean");
      await updateEmailPreferences(as("manager"), { approval_digest: false });
      await queueApprovalDigests("2027-01-05");
      expect((await outbox()).map((r) => r.recipient_id)).toEqual([USERS.admin.id]);
      await updateEmailPreferences(as("manager"), { approval_digest: true });
      await queueApprovalDigests("2027-01-06");
      expect((await outbox("data->>'day' = '2027-01-06'")).map((r) => r.recipient_id).sort()).toEqual([USERS.admin.id, USERS.manager.id].sort());
    });

    it("nothing waiting: no digest", async () => {
      await getDb().query("update public.flows set status = 'cancelled', cancelled_at = now() where status = 'submitted'");
      expect((await queueApprovalDigests("2027-01-07")).queued).toBe(0);
    });
  });

  describe("operations mail", () => {
    it("queueEmail sends to the given address once per dedupe key", async () => {
      const first = await queueEmail({ to: "oncall@duly.test", template: "ops_alert", locale: "en", data: { subject: "5xx rate above 5 %", text: "Errors: 7.1 %" }, dedupeKey: "alert:5xx:1" });
      const second = await queueEmail({ to: "oncall@duly.test", template: "ops_alert", locale: "en", data: { subject: "5xx rate above 5 %", text: "Errors: 7.1 %" }, dedupeKey: "alert:5xx:1" });
      expect(first.queued).toBe(true);
      expect(second).toEqual({ id: first.id, queued: false });
      await deliver();
      expect(smtp.received.map((m) => [m.to, m.subject])).toEqual([[["oncall@duly.test"], "5xx rate above 5 %"]]);
      expect(smtp.received[0].text).toContain(`${APP}/admin/status`);
    });

    it("a bad address or language is refused", async () => {
      await expect(queueEmail({ to: "not an address", template: "ops_alert", locale: "en", data: { subject: "s", text: "t" } })).rejects.toEqual(appError("validation_failed"));
      await expect(queueEmail({ to: "a@b.c", template: "ops_alert", locale: "fr" as never, data: { subject: "s", text: "t" } })).rejects.toEqual(appError("validation_failed"));
    });
  });

  describe("retention: finished emails go after 90 days, never a once-only email's guard", () => {
    const SEOUL_DAY = "(now() at time zone 'Asia/Seoul')::date";
    // label, kind, status, days since its last change, dedupe key (SQL, null for none)
    const ROWS: [string, "ops_alert" | "approval_digest", string, number, string][] = [
      ["sent 91 days ago", "ops_alert", "sent", 91, "null"],
      ["skipped 91 days ago", "ops_alert", "skipped", 91, "null"],
      ["failed 91 days ago", "ops_alert", "failed", 91, "null"],
      ["sent 89 days ago", "ops_alert", "sent", 89, "null"],
      ["pending 200 days", "ops_alert", "pending", 200, "null"],
      ["sending 200 days", "ops_alert", "sending", 200, "null"],
      ["alert event key", "ops_alert", "sent", 91, "'alert:42'"],
      ["other alert key", "ops_alert", "sent", 91, "'alert:5xx:1'"],
      ["unknown key", "ops_alert", "sent", 91, "'once:welcome'"],
      ["digest of a day 120 days back", "approval_digest", "sent", 91, `format('approval_digest:%s:%s', $1::text, ${SEOUL_DAY} - 120)`],
      ["digest of a day still queueable", "approval_digest", "sent", 91, `format('approval_digest:%s:%s', $1::text, ${SEOUL_DAY} + 10)`],
    ];

    async function seed(q: Parameters<Parameters<ReturnType<typeof getDb>["rolledBack"]>[0]>[0]) {
      for (const [label, kind, status, days, key] of ROWS) {
        // The digest goes to the manager, the alert to the on-call address.
        await q(
          `insert into public.email_outbox (kind, recipient_id, to_address, locale, status, data, dedupe_key, created_at, updated_at)
           select k, case when k = 'approval_digest' then $1::uuid end, case when k = 'ops_alert' then 'oncall@duly.test' end,
                  case when k = 'ops_alert' then 'en' end, $4, jsonb_build_object('label', $2::text), ${key},
                  now() - make_interval(days => $3), now() - make_interval(days => $3)
           from (select $5::text as k) x`,
          [USERS.manager.id, label, days, status, kind],
        );
      }
    }

    it("the prune deletes sent, skipped and failed emails unchanged for 90 days whose key cannot recur, and nothing else", async () => {
      const { deleted, left } = await getDb().rolledBack(async (q) => {
        await seed(q);
        await become(q, "service_role");
        const deleted = await rpc<number>(q, "jobs_prune_email_outbox");
        const left = await q<{ label: string }>("select data->>'label' as label from public.email_outbox order by updated_at, data->>'label'");
        return { deleted, left: left.map((r) => r.label) };
      });
      expect(deleted).toBe(5);
      expect(left.sort()).toEqual(
        ["sent 89 days ago", "pending 200 days", "sending 200 days", "other alert key", "unknown key", "digest of a day still queueable"].sort(),
      );
    });

    it("a digest day older than 90 days cannot be queued again; a kept day's key still stops a second digest", async () => {
      await getDb().rolledBack(async (q) => {
        await seed(q);
        await become(q, "service_role");
        await rpc(q, "jobs_prune_email_outbox");
        for (const back of [120, 91]) {
          const r = await attempt(q, `select public.jobs_email_queue_approval_digest(${SEOUL_DAY} - ${back})`);
          expect(r.ok ? "ok" : r.error.message).toBe("bad_request");
        }
        expect((await attempt(q, `select public.jobs_email_queue_approval_digest(${SEOUL_DAY} - 89)`)).ok).toBe(true);
        await q(`select public.jobs_email_queue_approval_digest(${SEOUL_DAY} + 10)`);
        const kept = await q<{ n: number }>(
          `select count(*)::int as n from public.email_outbox where dedupe_key = format('approval_digest:%s:%s', $1::text, ${SEOUL_DAY} + 10)`,
          [USERS.manager.id],
        );
        expect(kept[0].n).toBe(1);
      });
    });

    it.each(["anon", "acme", "korean", "admin"] as const)("%s may not run the prune", async (who) => {
      await expect(sqlAs(getDb(), who, "select public.jobs_prune_email_outbox()")).rejects.toMatchObject({ code: "42501" });
    });

    it("the service role may", async () => {
      expect(await sqlAs(getDb(), "service_role", "select public.jobs_prune_email_outbox() as n")).toEqual([{ n: 0 }]);
    });
  });

  it("become() is available for role switches inside a transaction", async () => {
    // Keeps the helper import honest: a customer inside one transaction sees no outbox rows even
    // after staff queued one in the same transaction.
    await getDb().rolledBack(async (q) => {
      await q(`insert into public.email_outbox (kind, to_address, locale) values ('ops_alert', 'x@y.z', 'en')`);
      await become(q, "acme");
      const r = await attempt(q, "select count(*) from public.email_outbox");
      expect(r.ok).toBe(false);
    });
  });
});
