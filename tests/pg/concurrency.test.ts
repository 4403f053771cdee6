import { beforeAll, describe, expect, it } from "vitest";
import { setTransport } from "@/lib/db";
import { createPool, PostgresTransport } from "@/lib/db/postgres";
import { stockInvariantViolations } from "@/lib/data/stocks";
import { openPgTestDatabase, type PgTestDatabase } from "../helpers/pg";
import { CUSTOMERS } from "../helpers/demo";
import { client } from "../helpers/router";

// Stock under concurrency, on real Postgres (PGlite has one connection, so races cannot happen
// there). Requests go through the API's route handlers with a pool of 25 connections.

const SEL = "10000000-0000-4000-8000-000000000001";
const YIW = "10000000-0000-4000-8000-000000000002";

const korean = client("korean");
const manager = client("manager");
const admin = client("admin");

async function newItem(sku: string): Promise<string> {
  const res = await korean.post("/api/v1/items", { sku, name_ko: sku });
  expect(res.status).toBe(201);
  return res.body.data.id;
}

/** Creates, submits and approves a flow; returns its id. */
async function approvedFlow(path: string, body: unknown): Promise<string> {
  const created = await korean.post(`/api/v1/${path}`, body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.data.id;
  expect((await korean.post(`/api/v1/${path}/${id}/submit`)).status).toBe(200);
  expect((await manager.post(`/api/v1/${path}/${id}/approve`)).status).toBe(200);
  return id;
}

async function receive(itemId: string, location: string, qty: number) {
  const id = await approvedFlow("inbounds", { location_id: location, lines: [{ item_id: itemId, qty }] });
  expect((await manager.post(`/api/v1/inbounds/${id}/commit`)).status).toBe(200);
}

async function onHand(itemId: string, location: string): Promise<number> {
  const res = await manager.get(`/api/v1/items/${itemId}`);
  return res.body.data.stocks.find((s: { location_id: string }) => s.location_id === location)?.on_hand ?? 0;
}

let db: PgTestDatabase;

beforeAll(async () => {
  db = await openPgTestDatabase();
  // A wider pool than the default so that the races below really run side by side.
  setTransport(new PostgresTransport(createPool(db.url, { max: 25 })));
});

describe("concurrent commits on real Postgres", () => {
  it("50 outbounds of 3 against 100 units: exactly 33 commit, 17 insufficient_stock, 1 left", async () => {
    const itemId = await newItem("RACE-OUT-1");
    await receive(itemId, SEL, 100);
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      ids.push(await approvedFlow("outbounds", { location_id: SEL, lines: [{ item_id: itemId, qty: 3 }] }));
    }
    const results = await Promise.all(ids.map((id, i) => (i % 2 ? manager : admin).post(`/api/v1/outbounds/${id}/commit`)));
    const ok = results.filter((r) => r.status === 200);
    const short = results.filter((r) => r.status === 409 && r.body.error.code === "insufficient_stock");
    expect(ok).toHaveLength(33);
    expect(short).toHaveLength(17);
    expect(await onHand(itemId, SEL)).toBe(1);
    expect(await stockInvariantViolations()).toEqual([]);
  });

  it("the same flow committed by 20 requests at once takes effect once", async () => {
    const itemId = await newItem("RACE-SAME-1");
    await receive(itemId, SEL, 10);
    const id = await approvedFlow("outbounds", { location_id: SEL, lines: [{ item_id: itemId, qty: 4 }] });
    const results = await Promise.all(Array.from({ length: 20 }, () => manager.post(`/api/v1/outbounds/${id}/commit`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === "invalid_state")).toHaveLength(19);
    expect(await onHand(itemId, SEL)).toBe(6);
    const ledger = await manager.get(`/api/v1/ledger?item_id=${itemId}&location_id=${SEL}`);
    expect(ledger.body.data.filter((m: { flow_id: string }) => m.flow_id === id)).toHaveLength(1);
    expect(await stockInvariantViolations()).toEqual([]);
  });

  it("opposite transfers (A→B and B→A over the same items) all complete, no deadlock reaches a client", async () => {
    const a = await newItem("RACE-TRF-A");
    const b = await newItem("RACE-TRF-B");
    for (const item of [a, b]) {
      await receive(item, SEL, 100);
      await receive(item, YIW, 100);
    }
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const forward = i % 2 === 0;
      ids.push(
        await approvedFlow("transfers", {
          from_location_id: forward ? SEL : YIW,
          to_location_id: forward ? YIW : SEL,
          // Lines in opposite orders too: locking must not follow line order.
          lines: forward ? [{ item_id: a, qty: 1 }, { item_id: b, qty: 2 }] : [{ item_id: b, qty: 2 }, { item_id: a, qty: 1 }],
        }),
      );
    }
    const results = await Promise.all(ids.map((id) => manager.post(`/api/v1/transfers/${id}/commit`)));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    // Six each way: everything is back where it started.
    expect(await onHand(a, SEL)).toBe(100);
    expect(await onHand(b, YIW)).toBe(100);
    expect(await stockInvariantViolations()).toEqual([]);
  });

  it("shipments of the same goods to one customer, lines in opposite orders, all commit; the goods are kept once", async () => {
    const a = await newItem("RACE-SHIP-A");
    const b = await newItem("RACE-SHIP-B");
    for (const item of [a, b]) await receive(item, SEL, 100);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const lines = i % 2 === 0 ? [{ item_id: a, qty: 1 }, { item_id: b, qty: 1 }] : [{ item_id: b, qty: 1 }, { item_id: a, qty: 1 }];
      ids.push(await approvedFlow("outbounds", { location_id: SEL, customer_id: CUSTOMERS.acme, lines }));
    }
    const results = await Promise.all(ids.map((id) => manager.post(`/api/v1/outbounds/${id}/commit`)));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    const kept = await db.query<{ customer_id: string; item_id: string }>(
      "select customer_id, item_id from public.customer_shipped_items where item_id in ($1, $2) order by item_id",
      [a, b],
    );
    expect(kept).toEqual([a, b].sort().map((item_id) => ({ customer_id: CUSTOMERS.acme, item_id })));
    expect(await onHand(a, SEL)).toBe(88);
  });

  it("outbounds from two warehouses at once take an item below its reorder point: one low-stock notice, the low list and its table agree", async () => {
    const created = await korean.post("/api/v1/items", { sku: "RACE-LOW-1", name_ko: "RACE-LOW-1", reorder_point: 60 });
    expect(created.status).toBe(201);
    const itemId = created.body.data.id;
    await receive(itemId, SEL, 100);
    await receive(itemId, YIW, 100);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push(await approvedFlow("outbounds", { location_id: i % 2 ? SEL : YIW, lines: [{ item_id: itemId, qty: 5 }] }));
    }
    const results = await Promise.all(ids.map((id, i) => (i % 2 ? manager : admin).post(`/api/v1/outbounds/${id}/commit`)));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    // 200 - 30 x 5 = 50: short by 10 (migration 20261229000100 keeps the low items' table).
    const kept = await db.query<{ shortage: string; sku: string }>("select shortage::text, sku from public.low_stock_items where item_id = $1", [itemId]);
    expect(kept).toEqual([{ shortage: "10.000", sku: "RACE-LOW-1" }]);
    const notices = await db.query<{ n: number }>("select count(*)::int as n from public.notifications where kind = 'low_stock' and item_id = $1", [itemId]);
    expect(notices[0].n).toBe(1);
    const low = await manager.get("/api/v1/stocks?low=true&limit=100");
    const truth = await db.query<{ n: number }>("select count(*)::int as n from public.item_stock_totals where shortage is not null");
    expect(low.body.count).toBe(truth[0].n);
    expect(low.body.data.find((r: { item_id: string }) => r.item_id === itemId)).toMatchObject({ on_hand: 50, shortage: 10 });
    expect(await stockInvariantViolations()).toEqual([]);
  });

  it("10 concurrent creates with one Idempotency-Key make one flow", async () => {
    const itemId = await newItem("RACE-IDEM-1");
    const body = { location_id: SEL, reference: "IDEM-RACE", lines: [{ item_id: itemId, qty: 5 }] };
    const headers = { "Idempotency-Key": "race-create-1" };
    const results = await Promise.all(Array.from({ length: 10 }, () => korean.post("/api/v1/inbounds", body, headers)));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
    const ids = new Set(results.map((r) => r.body.data.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(9);
    const list = await korean.get("/api/v1/inbounds?q=IDEM-RACE");
    expect(list.body.count).toBe(1);
  });
});
