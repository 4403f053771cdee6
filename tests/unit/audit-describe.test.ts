import { createFormatter, createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { describeAudit, type AuditSource, type Words } from "@/lib/audit/describe";
import { loadMessages } from "@/lib/i18n/messages";

// An audit row as people read it, in Korean and Chinese: no column names, no UUIDs, Seoul time.

async function words(locale: "ko" | "zh" | "en"): Promise<{ w: Words; time: (iso: string) => string }> {
  const messages = await loadMessages(locale);
  const t = createTranslator({ locale, messages });
  const f = createFormatter({ locale, timeZone: "Asia/Seoul" });
  return {
    w: { t: (k, v) => t(k as never, v as never), has: (k) => t.has(k as never) },
    time: (iso) => f.dateTime(new Date(iso), { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
  };
}

const MANAGER = "a0000000-0000-4000-8000-000000000002";
const FLOW = "f0000000-0000-4000-8000-000000000001";
const approved: AuditSource = {
  id: 7,
  created_at: "2026-03-01T15:30:00Z",
  actor_email: "manager@duly.test",
  actor_name: "Park Manager",
  event: "approved",
  table_name: "flows",
  security_event: false,
  subject: { type: "flow", id: FLOW, label: "OUT-2026-000012", kind: "outbound" },
  before: { id: FLOW, status: "submitted", approved_by: null, approved_at: null, updated_at: "2026-03-01T15:00:00Z" },
  after: { id: FLOW, status: "approved", approved_by: MANAGER, approved_at: "2026-03-01T15:30:00Z", updated_at: "2026-03-01T15:30:00Z" },
  refs: { [MANAGER]: "Park Manager" },
};

describe("an audit row in words", () => {
  it("Korean: who, what, which flow with its link, when in Seoul, and the changed fields by name", async () => {
    const { w, time } = await words("ko");
    const v = describeAudit(w, time, approved);
    expect(v).toMatchObject({ actor: "Park Manager", eventText: "승인", recordType: "출고", record: "OUT-2026-000012", href: `/flows/${FLOW}` });
    expect(v.time).toContain("00:30");
    expect(v.time).toContain("03");
    expect(v.changes).toEqual(
      expect.arrayContaining([
        { field: "status", label: "상태", before: "제출됨", after: "승인됨" },
        { field: "approved_by", label: "승인자", before: null, after: "Park Manager" },
      ]),
    );
    expect(v.changes.map((c) => c.field)).not.toContain("updated_at");
    expect(JSON.stringify(v.changes)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}|T15:30/);
  });

  it("Chinese, and a user's role change links to the user by email", async () => {
    const { w, time } = await words("zh");
    const v = describeAudit(w, time, {
      ...approved,
      event: "role_changed",
      table_name: "profiles",
      security_event: true,
      subject: { type: "user", id: MANAGER, label: "chinese@duly.test" },
      before: { role: "chinese_staff", active: true },
      after: { role: "manager", active: true },
      refs: {},
    });
    expect(v).toMatchObject({ eventText: "更改角色", recordType: "用户", href: "/admin/users?q=chinese%40duly.test", security: true });
    expect(v.changes).toEqual([{ field: "role", label: "角色", before: "中国员工", after: "经理" }]);
  });

  it("an unknown event reads as an edit, a record that is gone says so", async () => {
    const { w, time } = await words("en");
    const v = describeAudit(w, time, { ...approved, event: "something_new", subject: { type: "flow" }, refs: {} });
    expect(v).toMatchObject({ event: "updated", eventText: "Edited", record: "(removed record)", href: null });
    expect(v.changes.find((c) => c.field === "approved_by")?.after).toBe("(removed record)");
  });
});
