import { beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../helpers/pglite";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { client, request, tokenFor } from "../helpers/router";

// /api/v1/inspections (+ workflow steps and messages), /api/v1/messages, /api/v1/customers and
// /api/v1/portal/* through the route handlers on this file's own embedded database: the
// workflow as each role, statuses of refusals, bad input, idempotency.

const acme = client("acme");
const bluesky = client("bluesky");
const korean = client("korean");
const chinese = client("chinese");
const manager = client("manager");
const admin = client("admin");
const STAFF: DemoUser[] = ["admin", "manager", "korean", "chinese"];
const TODAY = new Date().toISOString().slice(0, 10);
const NOBODY = "00000000-0000-4000-8000-000000000000";

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

beforeAll(async () => {
  ({ db } = await openTestDatabase());
});

const application = (extra: Record<string, unknown> = {}) => ({
  product: "API test monitor",
  quantity: 50,
  factory_name: "API Factory",
  factory_address: "Shenzhen",
  inspection_type: "pre_shipment",
  requested_date: TODAY,
  notes: "Please check the packaging",
  ...extra,
});

async function apply(api = acme, extra: Record<string, unknown> = {}) {
  const res = await api.post("/api/v1/inspections", application(extra));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; number: string; status: string; customer_id: string };
}

async function countInspections(): Promise<number> {
  return (await db.query<{ n: number }>("select count(*)::int as n from public.inspection_applications")).rows[0].n;
}

describe("the inspection workflow through the API", () => {
  it("ACME applies; staff schedule, start, mark the report ready and complete; ACME follows along", async () => {
    const made = await apply();
    expect(made).toMatchObject({ status: "submitted", customer_id: CUSTOMERS.acme });

    const scheduled = await korean.post(`/api/v1/inspections/${made.id}/schedule`, { scheduled_date: TODAY, inspector_id: USERS.chinese.id });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.data).toMatchObject({ status: "scheduled", inspector_name: "Wang Chinese Staff", inspector_email: USERS.chinese.email });

    expect((await chinese.post(`/api/v1/inspections/${made.id}/start`)).body.data.status).toBe("in_progress");
    const ready = await chinese.post(`/api/v1/inspections/${made.id}/report`, { result: "pass" });
    expect(ready.body.data).toMatchObject({ status: "report_ready", result: "pass" });
    const done = await manager.post(`/api/v1/inspections/${made.id}/complete`, { result: "pass" });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ status: "completed", result: "pass" });

    const seen = await acme.get(`/api/v1/inspections/${made.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.data.timeline.map((e: { action: string }) => e.action)).toEqual(["submitted", "scheduled", "started", "report_ready", "completed"]);
    expect(seen.body.data).not.toHaveProperty("internal_notes");
    expect(seen.body.data).not.toHaveProperty("inspector_email");
    expect(seen.body.data.inspector_name).toBe("Wang Chinese Staff");
  });

  it("wrong-order steps answer 409 invalid_state and change nothing", async () => {
    const made = await apply();
    for (const [step, body] of [
      ["start", undefined],
      ["report", {}],
      ["complete", { result: "pass" }],
    ] as const) {
      const res = await chinese.post(`/api/v1/inspections/${made.id}/${step}`, body);
      expect(res.status, step).toBe(409);
      expect(res.body.error.code).toBe("invalid_state");
    }
    expect((await korean.get(`/api/v1/inspections/${made.id}`)).body.data.status).toBe("submitted");
  });

  it("a report without a result is fine (result stays pending); complete needs one", async () => {
    const made = await apply();
    await korean.post(`/api/v1/inspections/${made.id}/schedule`, { scheduled_date: TODAY, inspector_id: USERS.chinese.id });
    await chinese.post(`/api/v1/inspections/${made.id}/start`);
    expect((await chinese.post(`/api/v1/inspections/${made.id}/report`)).body.data).toMatchObject({ status: "report_ready", result: "pending" });
    const missing = await manager.post(`/api/v1/inspections/${made.id}/complete`, {});
    expect(missing.status).toBe(422);
    expect(missing.body.error.details[0].path).toBe("result");
    const bad = await manager.post(`/api/v1/inspections/${made.id}/complete`, { result: "excellent" });
    expect(bad.status).toBe(422);
  });

  it("cancel: ACME while submitted (then 409); after scheduling only staff, until completed", async () => {
    const first = await apply();
    const cancelled = await acme.post(`/api/v1/inspections/${first.id}/cancel`, { reason: "No longer needed" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: "cancelled", cancel_reason: "No longer needed" });
    expect((await acme.post(`/api/v1/inspections/${first.id}/cancel`)).status).toBe(409);

    const second = await apply();
    await korean.post(`/api/v1/inspections/${second.id}/schedule`, { scheduled_date: TODAY, inspector_id: USERS.chinese.id });
    const late = await acme.post(`/api/v1/inspections/${second.id}/cancel`);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("invalid_state");
    expect((await chinese.post(`/api/v1/inspections/${second.id}/cancel`, { reason: "Factory closed" })).status).toBe(200);
  });

  it("customers get 403 on the staff steps and notes, and nothing changes", async () => {
    const made = await apply();
    const steps: [string, unknown][] = [
      ["schedule", { scheduled_date: TODAY, inspector_id: USERS.chinese.id }],
      ["start", undefined],
      ["report", {}],
      ["complete", { result: "pass" }],
    ];
    for (const [step, body] of steps) {
      const res = await acme.post(`/api/v1/inspections/${made.id}/${step}`, body);
      expect(res.status, step).toBe(403);
    }
    expect((await acme.patch(`/api/v1/inspections/${made.id}`, { internal_notes: "let me in" })).status).toBe(403);
    expect((await korean.get(`/api/v1/inspections/${made.id}`)).body.data).toMatchObject({ status: "submitted", internal_notes: null });
  });

  it("schedule refuses a customer user as the inspector (422, field inspector_id)", async () => {
    const made = await apply();
    const res = await korean.post(`/api/v1/inspections/${made.id}/schedule`, { scheduled_date: TODAY, inspector_id: USERS.acme.id });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: "inspector_id", message: expect.any(String) }]);
  });

  it("staff keep internal notes; the customer never sees them", async () => {
    const made = await apply();
    const noted = await chinese.patch(`/api/v1/inspections/${made.id}`, { internal_notes: "Supplier is a relative of the buyer" });
    expect(noted.status).toBe(200);
    expect(noted.body.data.internal_notes).toBe("Supplier is a relative of the buyer");
    const mine = await acme.get(`/api/v1/inspections/${made.id}`);
    expect(JSON.stringify(mine.body)).not.toContain("relative of the buyer");
    const list = await acme.get("/api/v1/inspections?limit=100");
    expect(JSON.stringify(list.body)).not.toContain("relative of the buyer");
  });

  it("staff apply for a customer; without one it is 422", async () => {
    const made = await apply(korean, { customer_id: CUSTOMERS.bluesky });
    expect(made.customer_id).toBe(CUSTOMERS.bluesky);
    const res = await korean.post("/api/v1/inspections", application());
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: "customer_id", message: expect.any(String) }]);
  });
});

describe("bad input", () => {
  it("a malformed id is 404, an unknown one 404", async () => {
    expect((await acme.get("/api/v1/inspections/not-a-uuid")).status).toBe(404);
    expect((await korean.get(`/api/v1/inspections/${NOBODY}`)).status).toBe(404);
    expect((await korean.post(`/api/v1/inspections/${NOBODY}/start`)).status).toBe(404);
  });

  it("a bad query is 400", async () => {
    expect((await korean.get("/api/v1/inspections?status=lost")).status).toBe(400);
    expect((await korean.get("/api/v1/inspections?limit=500")).status).toBe(400);
    expect((await korean.get("/api/v1/customers?active=maybe")).status).toBe(400);
  });

  it.each([
    ["no product", { product: "" }, "product"],
    ["an unknown type", { inspection_type: "x-ray" }, "inspection_type"],
    ["an impossible date", { requested_date: "2026-02-30" }, "requested_date"],
    ["a negative quantity", { quantity: -5 }, "quantity"],
    ["a too long note", { notes: "x".repeat(4001) }, "notes"],
  ])("%s is 422 with the field, and nothing is written", async (_label, extra, field) => {
    const before = await countInspections();
    const res = await acme.post("/api/v1/inspections", application(extra));
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(await countInspections()).toBe(before);
  });

  it("field messages come in the user's language, from the catalogue, never zod's raw text", async () => {
    const bad = { product: " ", inspection_type: "x-ray", requested_date: "2026-02-30", quantity: "many" };
    const ko = await acme.post("/api/v1/inspections", application(bad));
    expect(ko.status).toBe(422);
    expect(ko.body.error.details).toEqual([
      { path: "product", message: "필수 항목입니다." },
      { path: "quantity", message: "숫자를 입력하세요." },
      { path: "inspection_type", message: "목록에서 하나를 고르세요." },
      { path: "requested_date", message: "날짜를 입력하세요 (예: 2026-12-31)." },
    ]);
    const zh = await chinese.post("/api/v1/inspections", application({ ...bad, customer_id: CUSTOMERS.acme }));
    expect(zh.status).toBe(422);
    expect(zh.body.error.details.map((d: { message: string }) => d.message)).toEqual(["此项为必填项。", "请输入数字。", "请从列表中选择一项。", "请输入日期（例如 2026-12-31）。"]);
    for (const res of [ko, zh]) expect(JSON.stringify(res.body.error.details)).not.toMatch(/Invalid|expected|pre_production/);
  });

  it("invalid JSON is 400 invalid_json", async () => {
    const res = await request("POST", "/api/v1/inspections", { rawBody: "{nope", headers: { "content-type": "application/json" }, token: await tokenFor("acme") });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_json");
  });

  it("anonymous requests are 401 everywhere", async () => {
    for (const [method, url] of [
      ["GET", "/api/v1/inspections"],
      ["POST", "/api/v1/inspections"],
      ["GET", "/api/v1/messages"],
      ["GET", "/api/v1/customers"],
      ["GET", "/api/v1/portal/shipments"],
      ["GET", "/api/v1/portal/stock"],
    ] as const) {
      expect((await request(method, url)).status, url).toBe(401);
    }
  });
});

describe("idempotency", () => {
  it("a repeated application with the same key makes one application", async () => {
    const before = await countInspections();
    const headers = { "Idempotency-Key": "apply-once-1" };
    const a = await acme.post("/api/v1/inspections", application(), headers);
    const b = await acme.post("/api/v1/inspections", application(), headers);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(b.body.data.id).toBe(a.body.data.id);
    expect(await countInspections()).toBe(before + 1);
    const other = await acme.post("/api/v1/inspections", application({ product: "Other" }), headers);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("idempotency_mismatch");
  });

  it("a repeated message with the same key is sent once", async () => {
    const made = await apply();
    const headers = { "Idempotency-Key": "message-once-1" };
    await acme.post(`/api/v1/inspections/${made.id}/messages`, { body: "Hello" }, headers);
    await acme.post(`/api/v1/inspections/${made.id}/messages`, { body: "Hello" }, headers);
    expect((await acme.get(`/api/v1/inspections/${made.id}/messages`)).body.count).toBe(1);
  });
});

describe("messages", () => {
  it("ACME and staff talk in a thread; unread counts and read marks per side", async () => {
    const made = await apply();
    const sent = await acme.post(`/api/v1/inspections/${made.id}/messages`, { body: "Is the date confirmed?" });
    expect(sent.status).toBe(201);
    expect(sent.body.data).toMatchObject({ from_staff: false, mine: true });

    const staffUnread = await korean.get("/api/v1/messages");
    expect(staffUnread.body.data.inspections).toContainEqual({ inspection_id: made.id, number: made.number, unread: 1 });
    const reply = await korean.post(`/api/v1/inspections/${made.id}/messages`, { body: "Yes, Tuesday." });
    expect(reply.body.data).toMatchObject({ from_staff: true, sender_name: "Choi Korean Team" });

    const mine = await acme.get("/api/v1/messages");
    expect(mine.body.data.inspections).toContainEqual({ inspection_id: made.id, number: made.number, unread: 1 });
    const read = await acme.post("/api/v1/messages", { inspection_id: made.id });
    expect(read.body.data).toEqual({ inspection_id: made.id, marked: 1 });
    expect((await acme.get("/api/v1/messages")).body.data.inspections.find((r: { inspection_id: string }) => r.inspection_id === made.id)).toBeUndefined();
    // Staff still have the customer's question unread until they mark it.
    expect((await manager.get("/api/v1/messages")).body.data.inspections).toContainEqual({ inspection_id: made.id, number: made.number, unread: 1 });

    const thread = await acme.get(`/api/v1/inspections/${made.id}/messages`);
    expect(thread.status).toBe(200);
    expect(thread.body.data.map((m: { body: string }) => m.body)).toEqual(["Is the date confirmed?", "Yes, Tuesday."]);
    expect(JSON.stringify(thread.body)).not.toMatch(/@duly\.test|sender_id/);
  });

  it("an empty message is 422; a thread of an unknown application is 404", async () => {
    const made = await apply();
    expect((await acme.post(`/api/v1/inspections/${made.id}/messages`, { body: "  " })).status).toBe(422);
    expect((await acme.get(`/api/v1/inspections/${NOBODY}/messages`)).status).toBe(404);
    expect((await korean.post("/api/v1/messages", { inspection_id: NOBODY })).status).toBe(404);
    expect((await korean.post("/api/v1/messages", { inspection_id: "x" })).status).toBe(422);
  });
});

describe("customers (staff)", () => {
  it.each(STAFF)("%s lists and reads customers", async (who) => {
    const api = client(who);
    const list = await api.get("/api/v1/customers?q=blue");
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ page: 1, limit: 10, count: 1 });
    const one = await api.get(`/api/v1/customers/${CUSTOMERS.bluesky}`);
    expect(one.body.data.users).toEqual([expect.objectContaining({ email: USERS.bluesky.email })]);
  });

  it("staff create and change a customer; a duplicate code is 409; bad input 422", async () => {
    const made = await chinese.post("/api/v1/customers", { code: "apitest", name: "API Test Co", email: "buyer@apitest.test" });
    expect(made.status).toBe(201);
    expect(made.body.data).toMatchObject({ code: "APITEST", name: "API Test Co", active: true });
    expect((await chinese.post("/api/v1/customers", { code: "APITEST", name: "Again" })).status).toBe(409);
    expect((await chinese.post("/api/v1/customers", { code: "x", name: "" })).status).toBe(422);
    expect((await chinese.post("/api/v1/customers", { code: "GOODCODE", name: "Bad mail", email: "nope" })).status).toBe(422);
    const emptyMail = await chinese.post("/api/v1/customers", { code: "EMPTYMAIL", name: "No mail", email: "" });
    expect(emptyMail.status).toBe(201);
    expect(emptyMail.body.data.email).toBeNull();
    const changed = await admin.patch(`/api/v1/customers/${made.body.data.id}`, { active: false });
    expect(changed.body.data.active).toBe(false);
    expect((await admin.patch(`/api/v1/customers/${made.body.data.id}`, {})).status).toBe(422);
    expect((await admin.patch(`/api/v1/customers/${NOBODY}`, { name: "x" })).status).toBe(404);
  });

  it.each(["acme", "bluesky"] as const)("customer %s gets 403 on every customers endpoint, and nothing is written", async (who) => {
    const api = client(who);
    expect((await api.get("/api/v1/customers")).status).toBe(403);
    expect((await api.get(`/api/v1/customers/${CUSTOMERS[who]}`)).status).toBe(403);
    expect((await api.post("/api/v1/customers", { code: "SNEAKY", name: "Sneaky" })).status).toBe(403);
    expect((await api.patch(`/api/v1/customers/${CUSTOMERS[who]}`, { name: "Renamed" })).status).toBe(403);
    expect((await db.query("select 1 from public.customers where code = 'SNEAKY'")).rows).toEqual([]);
  });
});

describe("portal", () => {
  it("customers read their shipments with lines and their stock; no costs", async () => {
    const shipments = await bluesky.get("/api/v1/portal/shipments");
    expect(shipments.status).toBe(200);
    expect(shipments.body.count).toBeGreaterThan(0);
    const first = shipments.body.data[0];
    expect((await bluesky.get(`/api/v1/portal/shipments/${first.id}`)).body.data.lines.length).toBeGreaterThan(0);
    const stock = await bluesky.get("/api/v1/portal/stock");
    expect(stock.status).toBe(200);
    expect(stock.body.data.map((r: { sku: string }) => r.sku)).toEqual(["KEYB-BSKY-MS", "KEYB-BSKY-WL", "LCD-BSKY-24"]);
    expect(JSON.stringify([shipments.body, stock.body])).not.toMatch(/unit_cost|reorder_point/);
    expect((await bluesky.get("/api/v1/portal/shipments?status=draft")).status).toBe(400);
  });

  it.each(STAFF)("%s (staff) gets 403 on the portal endpoints", async (who) => {
    const api = client(who);
    expect((await api.get("/api/v1/portal/shipments")).status).toBe(403);
    expect((await api.get("/api/v1/portal/stock")).status).toBe(403);
  });
});

