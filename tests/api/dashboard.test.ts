import { beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../helpers/pglite";
import { client, request } from "../helpers/router";

// The dashboard's figures agree with the records they summarise, and only staff see them.

const SEL = "10000000-0000-4000-8000-000000000001";
const korean = client("korean");
const manager = client("manager");

beforeAll(async () => {
  await openTestDatabase();
});

async function dashboard() {
  const res = await manager.get("/api/v1/dashboard");
  expect(res.status).toBe(200);
  return res.body.data;
}

describe("dashboard", () => {
  it("KPIs match the item and flow lists", async () => {
    const d = await dashboard();
    const active = await manager.get("/api/v1/items?active=true&limit=1");
    const low = await manager.get("/api/v1/stocks?low=true&limit=1");
    const submitted = await manager.get("/api/v1/flows?status=submitted&limit=1");
    const approved = await manager.get("/api/v1/flows?status=approved&limit=1");
    expect(d.kpis).toMatchObject({
      active_skus: active.body.count,
      low_stock: low.body.count,
      pending_approval: submitted.body.count,
      awaiting_commit: approved.body.count,
    });
    // Stock value = Σ on hand × unit cost over every item.
    const all = await manager.get("/api/v1/items?limit=100");
    const value = all.body.data.reduce((sum: number, i: { on_hand: number; unit_cost: number }) => sum + i.on_hand * i.unit_cost, 0);
    expect(d.kpis.stock_value).toBe(value);
    expect(d.by_location.reduce((s: number, l: { value: number }) => s + l.value, 0)).toBe(value);
    expect(d.by_engine.reduce((s: number, e: { value: number }) => s + e.value, 0)).toBe(value);
  });

  it("a committed outbound shows in today's trend, the top movers and recent activity", async () => {
    const before = await dashboard();
    const item = await korean.post("/api/v1/items", { sku: "DASH-1", name_ko: "대시보드 품목", unit_cost: 1000, reorder_point: 50 });
    const inbound = await korean.post("/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: item.body.data.id, qty: 5000 }] });
    const outbound = await korean.post("/api/v1/outbounds", { location_id: SEL, lines: [{ item_id: item.body.data.id, qty: 4990 }] });
    for (const [path, id] of [["inbounds", inbound.body.data.id], ["outbounds", outbound.body.data.id]]) {
      await korean.post(`/api/v1/${path}/${id}/submit`);
      await manager.post(`/api/v1/${path}/${id}/approve`);
      expect((await manager.post(`/api/v1/${path}/${id}/commit`)).status).toBe(200);
    }
    const after = await dashboard();
    const today = (d: { trend: { inbound: number; outbound: number }[] }) => d.trend.at(-1)!;
    expect(after.trend).toHaveLength(30);
    expect(today(after).inbound - today(before).inbound).toBe(5000);
    expect(today(after).outbound - today(before).outbound).toBe(4990);
    expect(after.top_movers[0]).toMatchObject({ sku: "DASH-1", moved: 9990 });
    expect(after.recent_activity[0].number).toBe(outbound.body.data.number);
    // 10 left against a reorder point of 50: one more low-stock item.
    expect(after.kpis.low_stock).toBe(before.kpis.low_stock + 1);
    expect(after.kpis.stock_value - before.kpis.stock_value).toBe(10 * 1000);
  });

  it("customers and anonymous users cannot read it", async () => {
    expect((await client("acme").get("/api/v1/dashboard")).status).toBe(403);
    expect((await request("GET", "/api/v1/dashboard")).status).toBe(401);
  });
});
