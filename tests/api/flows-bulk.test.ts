import { beforeAll, describe, expect, it } from "vitest";
import { stockInvariantViolations } from "@/lib/data/stocks";
import { openTestDatabase } from "../helpers/pglite";
import { client, request } from "../helpers/router";

// POST /api/v1/flows/bulk: several flows through one workflow step, one result per flow, each
// checked by the database as the single-flow endpoints are (role, status, segregation of
// duties, stock); and the shortfall hint on submit (POST /api/v1/outbounds/:id/submit).

const SEL = "10000000-0000-4000-8000-000000000001";

const korean = client("korean");
const chinese = client("chinese");
const manager = client("manager");
const admin = client("admin");
const acme = client("acme");

let itemId: string;

async function outbound(by: ReturnType<typeof client>, qty: number): Promise<string> {
  const res = await by.post("/api/v1/outbounds", { location_id: SEL, lines: [{ item_id: itemId, qty }] });
  expect(res.status).toBe(201);
  return res.body.data.id;
}

beforeAll(async () => {
  await openTestDatabase();
  const created = await korean.post("/api/v1/items", { sku: "TEST-BULK-1", name_ko: "일괄 시험", reorder_point: 0, unit_cost: 1000 });
  itemId = created.body.data.id;
  const inbound = await korean.post("/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: itemId, qty: 9 }] });
  const id = inbound.body.data.id;
  await korean.post(`/api/v1/inbounds/${id}/submit`);
  await manager.post(`/api/v1/inbounds/${id}/approve`);
  expect((await manager.post(`/api/v1/inbounds/${id}/commit`)).status).toBe(200);
});

describe("shortfall before commit", () => {
  it("an outbound needing 100 with 9 in the warehouse: the submit answer carries the shortfall; commit refuses", async () => {
    const id = await outbound(korean, 100);
    const submitted = await korean.post(`/api/v1/outbounds/${id}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.data.shortfalls).toEqual([
      expect.objectContaining({ item_id: itemId, sku: "TEST-BULK-1", location_code: "KR-SEL", requested: 100, available: 9, short: 91 }),
    ]);
    const listed = await manager.get("/api/v1/flows?status=submitted&limit=100");
    expect(listed.body.data.find((f: { id: string }) => f.id === id).short_lines).toBe(1);
    expect((await manager.post(`/api/v1/outbounds/${id}/approve`)).body.data.shortfalls).toHaveLength(1);
    const commit = await manager.post(`/api/v1/outbounds/${id}/commit`);
    expect(commit.status).toBe(409);
    expect(commit.body.error.code).toBe("insufficient_stock");
  });
});

describe("POST /api/v1/flows/bulk", () => {
  it("submits several drafts; a flow in another state is refused on its own row, the others go through", async () => {
    const a = await outbound(korean, 1);
    const b = await outbound(chinese, 2);
    const c = await outbound(korean, 1);
    await korean.post(`/api/v1/outbounds/${c}/submit`);
    const res = await korean.post("/api/v1/flows/bulk", { action: "submit", ids: [a, b, c] });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ action: "submit", succeeded: 2, failed: 1 });
    expect(res.body.data.results).toEqual([
      expect.objectContaining({ id: a, ok: true, status: "submitted" }),
      expect.objectContaining({ id: b, ok: true, status: "submitted" }),
      expect.objectContaining({ id: c, ok: false, error: expect.objectContaining({ code: "invalid_state" }) }),
    ]);
  });

  it("approving: a manager's own flow is refused per row (segregation of duties), the others are approved", async () => {
    const mine = await outbound(manager, 1);
    const theirs = await outbound(korean, 1);
    await manager.post(`/api/v1/outbounds/${mine}/submit`);
    await korean.post(`/api/v1/outbounds/${theirs}/submit`);
    const res = await manager.post("/api/v1/flows/bulk", { action: "approve", ids: [mine, theirs] });
    expect(res.status).toBe(200);
    expect(res.body.data.results).toEqual([
      expect.objectContaining({ id: mine, ok: false, error: expect.objectContaining({ code: "forbidden" }) }),
      expect.objectContaining({ id: theirs, ok: true, status: "approved" }),
    ]);
    expect((await manager.get(`/api/v1/flows/${mine}`)).body.data.status).toBe("submitted");
    // Someone else may approve it.
    const other = await admin.post("/api/v1/flows/bulk", { action: "approve", ids: [mine] });
    expect(other.body.data.results[0]).toMatchObject({ ok: true, status: "approved" });
  });

  it("committing: stock decides per row; what fits is committed, the short one refused with insufficient_stock", async () => {
    const small = await outbound(korean, 2);
    const big = await outbound(korean, 500);
    for (const id of [small, big]) {
      await korean.post(`/api/v1/outbounds/${id}/submit`);
      await manager.post(`/api/v1/outbounds/${id}/approve`);
    }
    const res = await manager.post("/api/v1/flows/bulk", { action: "commit", ids: [big, small] });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ succeeded: 1, failed: 1 });
    expect(res.body.data.results[0]).toMatchObject({ id: big, ok: false, error: { code: "insufficient_stock", details: expect.objectContaining({ available: expect.any(Number) }) } });
    expect(res.body.data.results[1]).toMatchObject({ id: small, ok: true, status: "committed" });
    expect(await stockInvariantViolations()).toEqual([]);
  });

  it("a retry with the same Idempotency-Key replays each row's first answer", async () => {
    const id = await outbound(korean, 1);
    const key = `bulk-retry-${Date.now()}`;
    const first = await korean.post("/api/v1/flows/bulk", { action: "submit", ids: [id] }, { "Idempotency-Key": key });
    const again = await korean.post("/api/v1/flows/bulk", { action: "submit", ids: [id] }, { "Idempotency-Key": key });
    expect(first.body.data.results[0]).toMatchObject({ ok: true, status: "submitted" });
    expect(again.body.data.results[0]).toMatchObject({ ok: true, status: "submitted" });
  });

  it("staff who may not approve or commit are refused as a whole; customers and no session too", async () => {
    const id = await outbound(korean, 1);
    await korean.post(`/api/v1/outbounds/${id}/submit`);
    for (const action of ["approve", "commit"]) {
      const res = await korean.post("/api/v1/flows/bulk", { action, ids: [id] });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
    expect((await chinese.post("/api/v1/flows/bulk", { action: "approve", ids: [id] })).status).toBe(403);
    expect((await acme.post("/api/v1/flows/bulk", { action: "submit", ids: [id] })).status).toBe(403);
    expect((await request("POST", "/api/v1/flows/bulk", { body: { action: "submit", ids: [id] } })).status).toBe(401);
    expect((await manager.get(`/api/v1/flows/${id}`)).body.data.status).toBe("submitted");
  });

  it("bad bodies are 400/422 with nothing written: unknown action, no ids, duplicates, more than 100, not UUIDs", async () => {
    const id = await outbound(korean, 1);
    const bad = [
      { action: "cancel", ids: [id] },
      { action: "submit", ids: [] },
      { action: "submit", ids: [id, id] },
      { action: "submit", ids: Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`) },
      { action: "submit", ids: ["nope"] },
    ];
    for (const body of bad) {
      const res = await korean.post("/api/v1/flows/bulk", body);
      expect([400, 422]).toContain(res.status);
      expect(res.body.error.code).toBe("validation_failed");
    }
    expect((await korean.get(`/api/v1/flows/${id}`)).body.data.status).toBe("draft");
  });

  it("a flow that does not exist is a not_found row", async () => {
    const res = await korean.post("/api/v1/flows/bulk", { action: "submit", ids: ["00000000-0000-4000-8000-000000000999"] });
    expect(res.body.data.results[0]).toMatchObject({ ok: false, error: { code: "not_found" } });
  });
});
