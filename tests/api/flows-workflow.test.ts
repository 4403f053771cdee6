import { beforeAll, describe, expect, it } from "vitest";
import { stockInvariantViolations } from "@/lib/data/stocks";
import { openTestDatabase } from "../helpers/pglite";
import { client, request } from "../helpers/router";

// The flow workflow end to end through the API, as each role, on the embedded database.

const SEL = "10000000-0000-4000-8000-000000000001";
const YIW = "10000000-0000-4000-8000-000000000002";

const korean = client("korean");
const chinese = client("chinese");
const manager = client("manager");
const admin = client("admin");
const acme = client("acme");

let itemId: string;

async function onHand(item: string, location: string): Promise<number> {
  const res = await manager.get(`/api/v1/items/${item}`);
  return res.body.data.stocks.find((s: { location_id: string }) => s.location_id === location)?.on_hand ?? 0;
}

async function expectInvariant() {
  expect(await stockInvariantViolations()).toEqual([]);
}

beforeAll(async () => {
  await openTestDatabase();
  const created = await korean.post("/api/v1/items", { sku: "TEST-FLOW-1", name_ko: "테스트 품목", reorder_point: 5, unit_cost: 1000 });
  expect(created.status).toBe(201);
  itemId = created.body.data.id;
  // 20 units in Seoul to start with.
  const inbound = await korean.post("/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: itemId, qty: 20 }] });
  expect(inbound.status).toBe(201);
  const id = inbound.body.data.id;
  expect((await korean.post(`/api/v1/inbounds/${id}/submit`)).status).toBe(200);
  expect((await manager.post(`/api/v1/inbounds/${id}/approve`)).status).toBe(200);
  expect((await manager.post(`/api/v1/inbounds/${id}/commit`)).status).toBe(200);
});

describe("flow workflow", () => {
  it("creates, submits, approves and commits an outbound; stock and ledger follow", async () => {
    const created = await korean.post("/api/v1/outbounds", {
      location_id: SEL,
      partner: "ACME Trading",
      lines: [{ item_id: itemId, qty: 3 }],
    });
    expect(created.status).toBe(201);
    expect(created.body.data.number).toMatch(/^OUT-\d{4}-\d{6}$/);
    expect(created.body.data.status).toBe("draft");
    const id = created.body.data.id;

    expect((await korean.post(`/api/v1/outbounds/${id}/submit`)).body.data.status).toBe("submitted");
    // The creator may not approve, and korean_team may not approve at all.
    expect((await korean.post(`/api/v1/outbounds/${id}/approve`)).status).toBe(403);
    expect((await manager.post(`/api/v1/outbounds/${id}/approve`)).body.data.status).toBe("approved");
    const committed = await manager.post(`/api/v1/outbounds/${id}/commit`);
    expect(committed.status).toBe(200);
    expect(committed.body.data.status).toBe("committed");
    expect(await onHand(itemId, SEL)).toBe(17);

    const ledger = await manager.get(`/api/v1/ledger?item_id=${itemId}&location_id=${SEL}`);
    expect(ledger.status).toBe(200);
    expect(ledger.body.data[0]).toMatchObject({ delta: -3, balance_after: 17, flow_id: id });
    await expectInvariant();
  });

  it("refuses a second commit with invalid_state and changes nothing", async () => {
    const created = await korean.post("/api/v1/outbounds", { location_id: SEL, lines: [{ item_id: itemId, qty: 1 }] });
    const id = created.body.data.id;
    await korean.post(`/api/v1/outbounds/${id}/submit`);
    await manager.post(`/api/v1/outbounds/${id}/approve`);
    expect((await manager.post(`/api/v1/outbounds/${id}/commit`)).status).toBe(200);
    const before = await onHand(itemId, SEL);
    const again = await manager.post(`/api/v1/outbounds/${id}/commit`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("invalid_state");
    expect(await onHand(itemId, SEL)).toBe(before);
    await expectInvariant();
  });

  it("answers insufficient_stock with details and changes nothing", async () => {
    const available = await onHand(itemId, SEL);
    const created = await korean.post("/api/v1/outbounds", { location_id: SEL, lines: [{ item_id: itemId, qty: available + 1 }] });
    const id = created.body.data.id;
    await korean.post(`/api/v1/outbounds/${id}/submit`);
    await admin.post(`/api/v1/outbounds/${id}/approve`);
    const res = await admin.post(`/api/v1/outbounds/${id}/commit`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("insufficient_stock");
    expect(res.body.error.details).toMatchObject({ item_id: itemId, location_id: SEL, available, requested: available + 1 });
    expect((await manager.get(`/api/v1/outbounds/${id}`)).body.data.status).toBe("approved");
    expect(await onHand(itemId, SEL)).toBe(available);
    await expectInvariant();
  });

  it("moves stock with a transfer and reverses it with a new flow", async () => {
    const created = await chinese.post("/api/v1/transfers", {
      from_location_id: SEL,
      to_location_id: YIW,
      lines: [{ item_id: itemId, qty: 2 }],
    });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    await chinese.post(`/api/v1/transfers/${id}/submit`);
    await manager.post(`/api/v1/transfers/${id}/approve`);
    await manager.post(`/api/v1/transfers/${id}/commit`);
    const sel = await onHand(itemId, SEL);
    expect(await onHand(itemId, YIW)).toBe(2);

    const reversal = await korean.post(`/api/v1/transfers/${id}/reverse`);
    expect(reversal.status).toBe(201);
    expect(reversal.body.data).toMatchObject({ kind: "transfer", status: "draft", reversal_of: id, from_location_id: YIW, to_location_id: SEL });
    const rid = reversal.body.data.id;
    await korean.post(`/api/v1/transfers/${rid}/submit`);
    await manager.post(`/api/v1/transfers/${rid}/approve`);
    await manager.post(`/api/v1/transfers/${rid}/commit`);
    expect(await onHand(itemId, YIW)).toBe(0);
    expect(await onHand(itemId, SEL)).toBe(sel + 2);
    // Only one live reversal per flow.
    expect((await korean.post(`/api/v1/transfers/${id}/reverse`)).status).toBe(409);
    await expectInvariant();
  });

  it("applies signed adjustments", async () => {
    const before = await onHand(itemId, SEL);
    const created = await korean.post("/api/v1/adjustments", { location_id: SEL, lines: [{ item_id: itemId, qty: -2 }] });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    await korean.post(`/api/v1/adjustments/${id}/submit`);
    await manager.post(`/api/v1/adjustments/${id}/approve`);
    expect((await manager.post(`/api/v1/adjustments/${id}/commit`)).status).toBe(200);
    expect(await onHand(itemId, SEL)).toBe(before - 2);
    await expectInvariant();
  });

  it("edits lines only in draft, submits only with lines, cancels before commit", async () => {
    const created = await korean.post("/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: itemId, qty: 1 }] });
    const id = created.body.data.id;
    // A draft's lines may all be removed, but it cannot be submitted so.
    expect((await korean.patch(`/api/v1/inbounds/${id}`, { lines: [] })).status).toBe(200);
    const empty = await korean.post(`/api/v1/inbounds/${id}/submit`);
    expect(empty.status).toBe(422);
    const patched = await chinese.patch(`/api/v1/inbounds/${id}`, { lines: [{ item_id: itemId, qty: 4 }], note: "edited" });
    expect(patched.status).toBe(200);
    expect(patched.body.data.lines).toHaveLength(1);
    expect(patched.body.data.note).toBe("edited");
    await korean.post(`/api/v1/inbounds/${id}/submit`);
    const late = await korean.patch(`/api/v1/inbounds/${id}`, { note: "too late" });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("invalid_state");
    const cancelled = await korean.post(`/api/v1/inbounds/${id}/cancel`, { reason: "duplicate" });
    expect(cancelled.body.data).toMatchObject({ status: "cancelled", cancel_reason: "duplicate" });
    expect((await manager.post(`/api/v1/inbounds/${id}/approve`)).status).toBe(409);
  });

  it("a flow is not found under another kind's endpoint", async () => {
    const created = await korean.post("/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: itemId, qty: 1 }] });
    expect((await korean.get(`/api/v1/outbounds/${created.body.data.id}`)).status).toBe(404);
    expect((await korean.post(`/api/v1/outbounds/${created.body.data.id}/submit`)).status).toBe(404);
    expect((await korean.get(`/api/v1/flows/${created.body.data.id}`)).status).toBe(200);
  });
});

describe("idempotency", () => {
  it("replays the first answer for the same key and body, refuses a different body", async () => {
    const body = { location_id: SEL, lines: [{ item_id: itemId, qty: 1 }] };
    const headers = { "Idempotency-Key": "create-once-1" };
    const first = await korean.post("/api/v1/inbounds", body, headers);
    const second = await korean.post("/api/v1/inbounds", body, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.data.id).toBe(first.body.data.id);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const list = await korean.get(`/api/v1/inbounds?q=${first.body.data.number}`);
    expect(list.body.count).toBe(1);
    const other = await korean.post("/api/v1/inbounds", { ...body, note: "different" }, headers);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("idempotency_mismatch");
  });

  it("a commit retried with the same key has no second effect", async () => {
    const created = await korean.post("/api/v1/outbounds", { location_id: SEL, lines: [{ item_id: itemId, qty: 1 }] });
    const id = created.body.data.id;
    await korean.post(`/api/v1/outbounds/${id}/submit`);
    await manager.post(`/api/v1/outbounds/${id}/approve`);
    const before = await onHand(itemId, SEL);
    const a = await manager.post(`/api/v1/outbounds/${id}/commit`, undefined, { "Idempotency-Key": "commit-1" });
    const b = await manager.post(`/api/v1/outbounds/${id}/commit`, undefined, { "Idempotency-Key": "commit-1" });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.data.status).toBe("committed");
    expect(await onHand(itemId, SEL)).toBe(before - 1);
    await expectInvariant();
  });

  it("keys are per user", async () => {
    const body = { location_id: SEL, lines: [{ item_id: itemId, qty: 1 }] };
    const a = await korean.post("/api/v1/inbounds", body, { "Idempotency-Key": "shared-key" });
    const b = await chinese.post("/api/v1/inbounds", body, { "Idempotency-Key": "shared-key" });
    expect(b.body.data.id).not.toBe(a.body.data.id);
  });
});

describe("permissions", () => {
  it("customers get 403 on staff endpoints", async () => {
    for (const url of ["/api/v1/items", "/api/v1/engines", "/api/v1/locations", "/api/v1/stocks", "/api/v1/ledger", "/api/v1/flows", "/api/v1/outbounds", "/api/engines", "/api/flows"]) {
      const res = await acme.get(url);
      expect(res.status, url).toBe(403);
    }
    expect((await acme.post("/api/v1/inbounds", { location_id: SEL, lines: [] })).status).toBe(403);
  });

  it("anonymous requests get 401", async () => {
    expect((await request("GET", "/api/v1/items")).status).toBe(401);
    expect((await request("POST", "/api/v1/outbounds", { body: {} })).status).toBe(401);
  });

  it("chinese_staff may not delete; korean_team may", async () => {
    const item = await korean.post("/api/v1/items", { sku: "TEST-DEL-1", name_ko: "삭제 품목" });
    expect((await chinese.del(`/api/v1/items/${item.body.data.id}`)).status).toBe(403);
    const res = await korean.del(`/api/v1/items/${item.body.data.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data.deleted).toBe(true);
    expect((await korean.get(`/api/v1/items/${item.body.data.id}`)).status).toBe(404);
  });

  it("an item with stock cannot be deleted; one with only history is deactivated", async () => {
    const withStock = await korean.del(`/api/v1/items/${itemId}`);
    expect(withStock.status).toBe(409);
    const item = await korean.post("/api/v1/items", { sku: "TEST-HIST-1", name_ko: "이력 품목" });
    const flow = await korean.post("/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: item.body.data.id, qty: 1 }] });
    expect(flow.status).toBe(201);
    const res = await korean.del(`/api/v1/items/${item.body.data.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ deleted: false, deactivated: true });
  });
});

describe("bad input", () => {
  const cases: [string, unknown][] = [
    ["zero quantity", { location_id: SEL, lines: [{ item_id: "00000000-0000-4000-8000-000000000000", qty: 0 }] }],
    ["negative quantity", { location_id: SEL, lines: [{ item_id: "00000000-0000-4000-8000-000000000000", qty: -1 }] }],
    ["huge quantity", { location_id: SEL, lines: [{ item_id: "00000000-0000-4000-8000-000000000000", qty: 1e15 }] }],
    ["string quantity", { location_id: SEL, lines: [{ item_id: "00000000-0000-4000-8000-000000000000", qty: "3" }] }],
    ["bad id", { location_id: "1; drop table flows", lines: [{ item_id: "00000000-0000-4000-8000-000000000000", qty: 1 }] }],
    ["no location", { lines: [{ item_id: "00000000-0000-4000-8000-000000000000", qty: 1 }] }],
    ["no lines", { location_id: SEL, lines: [] }],
    ["more decimals than stored", { location_id: SEL, lines: [{ item_id: "00000000-0000-4000-8000-000000000000", qty: 1.0005 }] }],
  ];
  it.each(cases)("%s → 422, nothing written", async (_name, body) => {
    const before = (await korean.get("/api/v1/outbounds")).body.count;
    const res = await korean.post("/api/v1/outbounds", body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("validation_failed");
    expect((await korean.get("/api/v1/outbounds")).body.count).toBe(before);
  });

  it("unknown item or location → 422 from the database, nothing written", async () => {
    const before = (await korean.get("/api/v1/outbounds")).body.count;
    const unknownItem = await korean.post("/api/v1/outbounds", { location_id: SEL, lines: [{ item_id: "00000000-0000-4000-8000-000000000000", qty: 1 }] });
    expect(unknownItem.status).toBe(422);
    const unknownLocation = await korean.post("/api/v1/outbounds", { location_id: "00000000-0000-4000-8000-000000000000", lines: [{ item_id: itemId, qty: 1 }] });
    expect(unknownLocation.status).toBe(422);
    expect((await korean.get("/api/v1/outbounds")).body.count).toBe(before);
  });

  it("SQL-looking search text is just text", async () => {
    const res = await korean.get("/api/v1/items?q=%27%3B%20drop%20table%20items%3B--");
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(0);
    expect((await korean.get("/api/v1/items")).body.count).toBeGreaterThan(0);
  });

  it("unknown ids → 404, malformed ids → 404, bad query → 400", async () => {
    expect((await korean.get("/api/v1/items/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await korean.get("/api/v1/items/not-an-id")).status).toBe(404);
    expect((await korean.get("/api/v1/items?limit=1000")).status).toBe(400);
    expect((await korean.get("/api/v1/items?sort=password")).status).toBe(400);
  });
});
