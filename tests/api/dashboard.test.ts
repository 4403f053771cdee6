import { beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../helpers/pglite";
import { client, request } from "../helpers/router";

// The dashboard's figures agree with the records they summarise, and only staff see them.

const SEL = "10000000-0000-4000-8000-000000000001";
const korean = client("korean");
const manager = client("manager");

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

beforeAll(async () => {
  ({ db } = await openTestDatabase());
});

// The daily summary must always equal what it summarises: the committed flows' lines.
async function summaryDrift(): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`
    with truth as (
      select (f.committed_at at time zone 'Asia/Seoul')::date as day, f.kind, fl.item_id, sum(abs(fl.qty)) as qty, count(*)::int as lines
      from public.flows f join private.all_flow_lines fl on fl.flow_id = f.id where f.status = 'committed' group by 1, 2, 3)
    select count(*)::int as n from truth t full join public.flow_daily_totals s using (day, kind, item_id)
    where t.qty is distinct from s.qty or t.lines is distinct from s.lines`);
  return rows[0]!.n;
}

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
    expect(await summaryDrift()).toBe(0);
  });

  it("the daily summary equals the committed lines, and a cancelled flow adds nothing", async () => {
    expect(await summaryDrift()).toBe(0);
    const before = await dashboard();
    const item = await korean.post("/api/v1/items", { sku: "DASH-2", name_ko: "취소 품목", unit_cost: 10 });
    const inbound = await korean.post("/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: item.body.data.id, qty: 70 }] });
    await korean.post(`/api/v1/inbounds/${inbound.body.data.id}/submit`);
    await manager.post(`/api/v1/inbounds/${inbound.body.data.id}/approve`);
    expect((await manager.post(`/api/v1/inbounds/${inbound.body.data.id}/cancel`, { reason: "wrong factory" })).status).toBe(200);
    const after = await dashboard();
    expect(after.trend.at(-1).inbound).toBe(before.trend.at(-1).inbound);
    expect(await summaryDrift()).toBe(0);
  });

  it("counts open inspections: an application adds one, completing or cancelling takes it away", async () => {
    const before = (await dashboard()).kpis.open_inspections;
    const { rows } = await db.query<{ n: number }>(
      "select count(*)::int as n from public.inspection_applications where status not in ('completed', 'cancelled')");
    expect(before).toBe(rows[0]!.n);
    expect(before).toBeGreaterThan(0);
    const created = await client("acme").post("/api/v1/inspections", {
      product: "KPI monitor", quantity: 10, factory_name: "KPI Factory", inspection_type: "pre_shipment", requested_date: "2099-01-10" });
    expect(created.status).toBe(201);
    expect((await dashboard()).kpis.open_inspections).toBe(before + 1);
    expect((await client("acme").post(`/api/v1/inspections/${created.body.data.id}/cancel`, { reason: "not needed" })).status).toBe(200);
    expect((await dashboard()).kpis.open_inspections).toBe(before);
  });

  it("customers and anonymous users cannot read it", async () => {
    expect((await client("acme").get("/api/v1/dashboard")).status).toBe(403);
    expect((await request("GET", "/api/v1/dashboard")).status).toBe(401);
  });
});
