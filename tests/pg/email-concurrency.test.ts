import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setTransport } from "@/lib/db";
import { createPool, PostgresTransport } from "@/lib/db/postgres";
import { deliverOutbox, type MailConfig } from "@/lib/mail";
import { startFakeSmtp, type FakeSmtp } from "../helpers/fake-smtp";
import { openPgTestDatabase, type PgTestDatabase } from "../helpers/pg";

// Never twice: several deliverers (the cron job and after() of a few requests) working the same
// outbox at once on real Postgres, each with its own connection and SMTP connection. The claim
// (for update skip locked) must hand every email to exactly one of them.

let db: PgTestDatabase;
let smtp: FakeSmtp;
let config: MailConfig;

beforeAll(async () => {
  db = await openPgTestDatabase();
  setTransport(new PostgresTransport(createPool(db.url, { max: 10 })));
  smtp = await startFakeSmtp(3375);
  config = { smtpUrl: smtp.url, from: "erp@duly.test", appUrl: "https://erp.example.test" };
});
afterAll(async () => smtp?.close());

describe("email delivery under concurrency (real Postgres)", () => {
  it("four deliverers at once over 80 emails: each email sent exactly once", async () => {
    await db.query("delete from public.email_outbox");
    await db.query(
      `insert into public.email_outbox (kind, to_address, locale, data)
       select 'ops_alert', format('oncall+%s@duly.test', g), 'en', jsonb_build_object('subject', format('alert %s', g), 'text', 'x')
       from generate_series(1, 80) g`,
    );
    // A slow server, so that the runs overlap for their whole length.
    smtp.delayMs = 15;
    const runs = await Promise.all([1, 2, 3, 4].map(() => deliverOutbox({ config, batch: 5, maxBatches: 100 })));
    const sent = runs.map((r) => (r.status === "done" ? r.sent : 0));
    expect(sent.reduce((a, b) => a + b, 0)).toBe(80);
    // Every run took part (the claims really interleaved).
    expect(sent.filter((n) => n > 0).length).toBeGreaterThan(1);
    const subjects = smtp.received.map((m) => m.subject);
    expect(subjects).toHaveLength(80);
    expect(new Set(subjects).size).toBe(80);
    expect(await db.query("select status, count(*)::int as n from public.email_outbox group by status")).toEqual([{ status: "sent", n: 80 }]);
  });
});
