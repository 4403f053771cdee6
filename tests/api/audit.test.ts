import { beforeAll, describe, expect, it } from "vitest";
import { GET as auditRoute } from "@/app/api/v1/audit/route";
import { download, readCsv } from "../helpers/download";
import { openTestDatabase } from "../helpers/pglite";
import { USERS, type DemoUser } from "../helpers/demo";
import { client, request } from "../helpers/router";

// GET /api/v1/audit through the route handler, on this file's own embedded database: only
// admins read it; every filter narrows it; rows name their actor and the keys that changed.

const admin = client("admin");
const korean = client("korean");

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
let engineId: string;

type Row = {
  id: number;
  created_at: string;
  actor_id: string | null;
  actor_email: string | null;
  actor_name: string | null;
  action: string;
  table_name: string;
  row_id: string;
  security_event: boolean;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changed: string[];
};

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  const created = await korean.post("/api/v1/engines", { code: "AUDITX", name_ko: "감사 테스트" });
  expect(created.status).toBe(201);
  engineId = created.body.data.id;
  expect((await korean.patch(`/api/v1/engines/${engineId}`, { name_en: "Audit test" })).status).toBe(200);
});

describe("who may read the audit log", () => {
  it("the admin", async () => {
    const res = await admin.get("/api/v1/audit");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, limit: 20 });
    expect(res.body.count).toBeGreaterThan(0);
  });

  it.each(["manager", "korean", "chinese", "acme", "bluesky"] as DemoUser[])("not %s (403)", async (who) => {
    const res = await client(who).get("/api/v1/audit");
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
  });

  it("not anonymous requests (401)", async () => {
    expect((await request("GET", "/api/v1/audit")).status).toBe(401);
  });
});

describe("GET /api/v1/audit", () => {
  it("names the actor and lists the changed keys of an update", async () => {
    const res = await admin.get(`/api/v1/audit?table=engines&actor_id=${USERS.korean.id}`);
    const rows = (res.body.data as Row[]).filter((r) => r.row_id === engineId);
    expect(rows.map((r) => r.action)).toEqual(["update", "insert"]);
    const [update, insert] = rows;
    expect(update).toMatchObject({ actor_id: USERS.korean.id, actor_email: USERS.korean.email, actor_name: "Choi Korean Team", security_event: false });
    expect(update.before).toMatchObject({ name_en: null });
    expect(update.after).toMatchObject({ name_en: "Audit test" });
    expect(update.changed).toEqual(expect.arrayContaining(["name_en", "updated_at"]));
    expect(update.changed).not.toContain("code");
    expect(insert.before).toBeNull();
    expect(insert.changed).toEqual(expect.arrayContaining(["id", "code", "name_ko"]));
  });

  it("newest first, and pages keep that order", async () => {
    const all = (await admin.get("/api/v1/audit?limit=100")).body.data as Row[];
    const times = all.map((r) => Date.parse(r.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const p1 = (await admin.get("/api/v1/audit?limit=3&page=1")).body.data as Row[];
    const p2 = (await admin.get("/api/v1/audit?limit=3&page=2")).body.data as Row[];
    expect([...p1, ...p2].map((r) => r.id)).toEqual(all.slice(0, 6).map((r) => r.id));
  });

  it("filters by action, table and actor", async () => {
    const inserts = (await admin.get("/api/v1/audit?action=insert&limit=100")).body.data as Row[];
    expect(inserts.length).toBeGreaterThan(0);
    expect(inserts.every((r) => r.action === "insert")).toBe(true);

    const engines = (await admin.get("/api/v1/audit?table=engines&limit=100")).body.data as Row[];
    expect(engines.every((r) => r.table_name === "engines")).toBe(true);

    const byKorean = await admin.get(`/api/v1/audit?actor_id=${USERS.korean.id}&limit=100`);
    expect((byKorean.body.data as Row[]).every((r) => r.actor_id === USERS.korean.id)).toBe(true);
    const byNobody = await admin.get(`/api/v1/audit?actor_id=00000000-0000-4000-8000-000000000000`);
    expect(byNobody.body).toMatchObject({ data: [], count: 0 });
  });

  it("filters by days in Korean time, both ends included", async () => {
    // A row at 23:30 on 1 March in Seoul (14:30 UTC), one at 00:30 on 2 March (15:30 UTC on 1 March).
    await db.query(
      `insert into public.audit_log (actor_id, action, table_name, row_id, after, created_at) values
         ($1, 'insert', 'engines', 'day-test-1', '{}', '2020-03-01T14:30:00Z'),
         ($1, 'insert', 'engines', 'day-test-2', '{}', '2020-03-01T15:30:00Z')`,
      [USERS.admin.id],
    );
    const ids = async (query: string) => ((await admin.get(`/api/v1/audit?${query}&limit=100`)).body.data as Row[]).map((r) => r.row_id).filter((id) => id.startsWith("day-test"));
    expect(await ids("from=2020-03-01&to=2020-03-01")).toEqual(["day-test-1"]);
    expect(await ids("from=2020-03-02&to=2020-03-02")).toEqual(["day-test-2"]);
    expect(await ids("from=2020-03-01&to=2020-03-02")).toEqual(["day-test-2", "day-test-1"]);
    expect(await ids("to=2020-02-29")).toEqual([]);
    expect(await ids("from=2020-03-01T15:00:00Z&to=2020-03-01T16:00:00Z")).toEqual(["day-test-2"]);
  });

  it("shows only security events when asked", async () => {
    const res = await admin.patch(`/api/v1/users/${USERS.chinese.id}`, { active: false });
    expect(res.status).toBe(200);
    expect((await admin.patch(`/api/v1/users/${USERS.chinese.id}`, { active: true })).status).toBe(200);
    const rows = (await admin.get("/api/v1/audit?security=true&limit=100")).body.data as Row[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.security_event)).toBe(true);
    expect(rows.filter((r) => r.row_id === USERS.chinese.id).map((r) => r.after?.active)).toEqual([true, false]);
  });

  it.each([
    ["action=upsert"],
    ["actor_id=someone"],
    ["table=Robert'); drop table students;--"],
    ["from=yesterday"],
    ["from=2020-02-30"],
    ["from=2020-03-05&to=2020-03-01"],
    ["security=yes"],
    ["limit=0"],
  ])("?%s is 400", async (query) => {
    const res = await admin.get(`/api/v1/audit?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
  });
});

describe("the audit log in words", () => {
  it("each row carries its event, its record by name and the names of what its fields point at", async () => {
    const res = await admin.get(`/api/v1/audit?table=engines&actor_id=${USERS.korean.id}`);
    const rows = (res.body.data as (Row & { event: string; subject: Record<string, string>; refs: Record<string, string> })[]).filter((r) => r.row_id === engineId);
    expect(rows.map((r) => r.event)).toEqual(["updated", "created"]);
    expect(rows[0]!.subject).toEqual({ type: "engine", id: engineId, label: "AUDITX" });
    expect(rows[0]!.refs).toEqual({});
    const flows = (await admin.get("/api/v1/audit?action=committed&limit=5")).body.data as { event: string; actor_name: string; subject: { type: string; label: string }; refs: Record<string, string> }[];
    expect(flows.length).toBe(5);
    for (const f of flows) {
      expect(f.event).toBe("committed");
      expect(f.subject.type).toBe("flow");
      expect(f.subject.label).toMatch(/^(IN|OUT|TRF|ADJ)-\d{4}-\d{6}$/);
      // committed_by names the one who committed it.
      expect(Object.values(f.refs)).toContain(f.actor_name);
    }
  });

  it("exports the same words: Korean columns, no table names, ids or ISO times", async () => {
    const v = await download(auditRoute, "/api/v1/audit?format=csv&action=committed", "admin");
    expect(v.status).toBe(200);
    const csv = readCsv(v.bytes);
    expect(csv.header).toEqual(["시각 (KST)", "누가", "이메일", "무엇을", "대상 종류", "대상", "변경 내용", "보안 이벤트"]);
    expect(csv.rows.length).toBeGreaterThan(10);
    const [time, actor, email, event, type, record, changes] = csv.rows[0]!;
    expect(time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(["Park Manager", "Duly Admin"]).toContain(actor);
    expect(email).toMatch(/@duly\.test$/);
    expect(event).toBe("확정");
    expect(["입고", "출고", "이동", "재고 조정"]).toContain(type);
    expect(record).toMatch(/^(IN|OUT|TRF|ADJ)-/);
    expect(changes).toContain("상태: 승인됨 → 확정됨");
    const text = v.bytes.toString("utf8");
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
    expect(text).not.toMatch(/committed_at|flow_lines|T\d{2}:\d{2}:\d{2}/);
  });
});
