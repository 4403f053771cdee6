import { describe, expect, it } from "vitest";
import { escapeHtml, renderEmail, type EmailInput } from "@/lib/mail/templates";

// Each template in each language: subject and body in the recipient's language (plain text and
// HTML), the link to the record, the values of its own row only, and HTML that cannot be broken
// by what a user typed.

const APP = "https://erp.example.test";
const INSPECTION = "5f0c6c1e-1111-4a2b-8c3d-000000000001";
const inspectionData = {
  number: "INS-2026-000042",
  product: "27-inch monitor",
  factory_name: "Shenzhen Panel Co.",
  inspection_type: "pre_shipment",
  scheduled_date: "2027-03-02",
  inspector_name: "Kim Inspector",
  result: "pass",
  rescheduled: false,
};
const input = (kind: EmailInput["kind"], locale: string, data: Record<string, unknown> = inspectionData): EmailInput => ({
  kind,
  locale,
  recipientName: "ACME Buyer",
  inspectionId: INSPECTION,
  data,
});

const expected = {
  inspection_scheduled: { ko: "검품 일정 확정: INS-2026-000042", zh: "验货已排期：INS-2026-000042", en: "Inspection scheduled: INS-2026-000042" },
  inspection_report_ready: { ko: "검품 보고서 준비됨: INS-2026-000042", zh: "验货报告已出：INS-2026-000042", en: "Inspection report ready: INS-2026-000042" },
  inspection_completed: { ko: "검품 완료: INS-2026-000042", zh: "验货已完成：INS-2026-000042", en: "Inspection completed: INS-2026-000042" },
} as const;
const typeWord = { ko: "선적 전 검품", zh: "出货前验货", en: "Pre-shipment" } as const;
const resultWord = { ko: "합격", zh: "合格", en: "Pass" } as const;
const greeting = { ko: "ACME Buyer 님, 안녕하세요.", zh: "ACME Buyer，您好：", en: "Hello ACME Buyer," } as const;

describe("email templates", () => {
  for (const [kind, subjects] of Object.entries(expected) as [keyof typeof expected, (typeof expected)[keyof typeof expected]][]) {
    for (const locale of ["ko", "zh", "en"] as const) {
      it(`${kind} in ${locale}: subject, greeting, fields and link in text and HTML`, () => {
        const mail = renderEmail(input(kind, locale), APP);
        expect(mail.subject).toBe(subjects[locale]);
        expect(mail.text.startsWith(greeting[locale])).toBe(true);
        expect(mail.text).toContain(typeWord[locale]);
        expect(mail.text).toContain("27-inch monitor");
        expect(mail.text).toContain(`${APP}/portal/inspections/${INSPECTION}`);
        expect(mail.text).toContain(`${APP}/portal/account`);
        expect(mail.html).toContain(`<html lang="${locale}">`);
        expect(mail.html).toContain(`href="${APP}/portal/inspections/${INSPECTION}"`);
        expect(mail.html).toContain(escapeHtml(greeting[locale]));
        if (kind === "inspection_scheduled") {
          expect(mail.text).toContain("Kim Inspector");
          expect(mail.text).not.toContain(resultWord[locale]);
        } else {
          expect(mail.text).toContain(resultWord[locale]);
        }
      });
    }
  }

  it("a moved date says so", () => {
    expect(renderEmail(input("inspection_scheduled", "en", { ...inspectionData, rescheduled: true }), APP).subject).toBe("Inspection date changed: INS-2026-000042");
    expect(renderEmail(input("inspection_scheduled", "ko", { ...inspectionData, rescheduled: true }), APP).subject).toBe("검품 일정 변경: INS-2026-000042");
  });

  it("dates are written the recipient's way", () => {
    expect(renderEmail(input("inspection_scheduled", "ko"), APP).text).toContain("2027년 3월 2일");
    expect(renderEmail(input("inspection_scheduled", "zh"), APP).text).toContain("2027年3月2日");
    expect(renderEmail(input("inspection_scheduled", "en"), APP).text).toContain("March 2, 2027");
  });

  const thread = {
    number: "INS-2026-000042",
    product: "27-inch monitor",
    unread: 7,
    messages: [
      { sender_name: "Lee Staff", body: "Samples <b>look</b> fine\nsecond line", created_at: "2027-03-01T01:00:00Z" },
      { sender_name: "Wang Staff", body: "Photos are up", created_at: "2027-03-01T02:00:00Z" },
    ],
  };

  it.each([
    ["ko", "새 메시지: INS-2026-000042", "읽지 않은 메시지: 7건", "보낸 사람: Lee Staff"],
    ["zh", "新消息：INS-2026-000042", "未读消息：7 条", "Lee Staff："],
    ["en", "New messages about INS-2026-000042", "Unread messages: 7.", "Lee Staff wrote:"],
  ])("thread message in %s: the unread messages quoted, a note that older ones are in the thread", (locale, subject, count, from) => {
    const mail = renderEmail(input("thread_message", locale, thread), APP);
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain(count);
    expect(mail.text).toContain(from);
    expect(mail.text).toContain("> Samples <b>look</b> fine\n> second line");
    expect(mail.text).toContain("> Photos are up");
    // What staff typed is text in the HTML, never markup.
    expect(mail.html).toContain("Samples &lt;b&gt;look&lt;/b&gt; fine");
    expect(mail.html).not.toContain("<b>look</b>");
    expect(mail.text).toContain(`${APP}/portal/inspections/${INSPECTION}`);
  });

  const digest = {
    day: "2027-03-01",
    total: 23,
    flows: [
      { id: "f1", number: "IN-2027-000001", kind: "inbound", submitted_by: "Korean Team", submitted_at: "2027-03-01T00:00:00Z" },
      { id: "f2", number: "OUT-2027-000002", kind: "outbound", submitted_by: "Chinese Staff", submitted_at: "2027-03-01T00:00:00Z" },
    ],
  };

  it.each([
    ["ko", "승인 대기 입출고: 23건", "IN-2027-000001 · 입고 · 제출: Korean Team", "…외 21건"],
    ["zh", "待审批的出入库单：23 张", "IN-2027-000001 · 入库 · 提交人：Korean Team", "……另有 21 张。"],
    ["en", "Flows waiting for your approval: 23", "IN-2027-000001 · Inbound · submitted by Korean Team", "…and 21 more."],
  ])("approval digest in %s: each flow with its kind and submitter, and how many more", (locale, subject, line, more) => {
    const mail = renderEmail({ kind: "approval_digest", locale, recipientName: "Manager", data: digest }, APP);
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain(line);
    expect(mail.text).toContain(more);
    expect(mail.text).toContain(`${APP}/flows?status=submitted`);
    expect(mail.text).toContain(`${APP}/account`);
    expect(mail.text).not.toContain("/portal/");
  });

  it("operations mail carries the alert's own subject and text, and links to the status page", () => {
    const mail = renderEmail({ kind: "ops_alert", locale: "en", data: { subject: "p95 above 3 s", text: "p95 4.2 s over 5 minutes" } }, APP);
    expect(mail.subject).toBe("p95 above 3 s");
    expect(mail.text).toContain("p95 4.2 s over 5 minutes");
    expect(mail.text).toContain(`${APP}/admin/status`);
  });

  it("an unknown language falls back to Korean", () => {
    expect(renderEmail(input("inspection_completed", "fr"), APP).subject).toBe("검품 완료: INS-2026-000042");
  });

  it("nothing but the row's own values appears: no other record's number or name", () => {
    const mail = renderEmail(input("inspection_completed", "en"), APP);
    const values = [...mail.text.matchAll(/INS-\d{4}-\d{6}/g)].map((m) => m[0]);
    expect(new Set(values)).toEqual(new Set(["INS-2026-000042"]));
  });
});
