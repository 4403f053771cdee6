import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { openTestDatabase } from "../helpers/pglite";
import { CUSTOMERS, USERS } from "../helpers/demo";
import { client, tokenFor } from "../helpers/router";

// Server-side Vercel Analytics events (flow committed, inspection submitted), against a fake
// Vercel insights endpoint on loopback: what they carry (ids, kinds, counts, never personal data),
// that a replayed request is not counted twice, that nothing is sent off Vercel, and that a
// failing or unreachable endpoint never fails the request.

const SEL = "10000000-0000-4000-8000-000000000001";
const korean = client("korean");
const manager = client("manager");
const acme = client("acme");

type Received = { body: Record<string, unknown>; raw: string; headers: Record<string, string | string[] | undefined> };
let received: Received[] = [];
let answer = 200;
let server: Server;
let endpoint: string;
const itemIds: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  await openTestDatabase();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ raw, body: JSON.parse(raw) as Record<string, unknown>, headers: req.headers });
      res.writeHead(answer);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_vercel/insights/event`;
  for (const sku of ["TEST-ANALYTICS-1", "TEST-ANALYTICS-2"]) {
    const item = await korean.post("/api/v1/items", { sku, name_ko: "분석 품목", reorder_point: 1, unit_cost: 100 });
    expect(item.status).toBe(201);
    itemIds.push(item.body.data.id);
  }
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  resetEnvCache();
});

beforeEach(() => {
  received = [];
  answer = 200;
  process.env.VERCEL_WEB_ANALYTICS_ENDPOINT = endpoint;
  resetEnvCache();
});

/** An inbound of `lines` lines, submitted by korean and approved by the manager, ready to commit. */
async function approvedInbound(lines = 1): Promise<string> {
  const created = await korean.post("/api/v1/inbounds", { location_id: SEL, lines: itemIds.slice(0, lines).map((item_id) => ({ item_id, qty: 2 })) });
  expect(created.status).toBe(201);
  const id = created.body.data.id as string;
  expect((await korean.post(`/api/v1/inbounds/${id}/submit`)).status).toBe(200);
  expect((await manager.post(`/api/v1/inbounds/${id}/approve`)).status).toBe(200);
  return id;
}

async function eventsNamed(name: string, count: number): Promise<Received[]> {
  await vi.waitFor(() => expect(received.filter((r) => r.body.en === name).length).toBeGreaterThanOrEqual(count), { timeout: 3000, interval: 20 });
  // A little longer, so that an extra (duplicate) event would have arrived too.
  await new Promise((r) => setTimeout(r, 150));
  return received.filter((r) => r.body.en === name);
}

async function expectNothingPersonal(r: Received) {
  const text = r.raw + JSON.stringify(r.headers);
  for (const secret of [USERS.manager.email, USERS.acme.email, await tokenFor("manager"), await tokenFor("acme"), "Analytics Factory", "analytics monitor"]) {
    expect(text).not.toContain(secret);
  }
  expect(r.headers.cookie ?? "undefined").toBe("undefined");
}

describe("flow committed", () => {
  it("is sent once with the flow's id, kind and line count only, even when the commit is replayed", async () => {
    const id = await approvedInbound(2);
    const key = { "Idempotency-Key": `analytics-${id}` };
    const first = await manager.post(`/api/v1/inbounds/${id}/commit`, undefined, key);
    expect(first.status).toBe(200);
    const replay = await manager.post(`/api/v1/inbounds/${id}/commit`, undefined, key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    const events = await eventsNamed("flow_committed", 1);
    expect(events).toHaveLength(1);
    expect(events[0].body.ed).toEqual({ flow_id: id, kind: "inbound", lines: 2 });
    await expectNothingPersonal(events[0]);
  });

  it("is not sent for other actions or a refused commit", async () => {
    const id = await approvedInbound();
    expect((await korean.post(`/api/v1/inbounds/${id}/commit`)).status).toBe(403);
    await new Promise((r) => setTimeout(r, 150));
    expect(received.filter((r) => r.body.en === "flow_committed")).toHaveLength(0);
  });

  it("never fails the commit when the endpoint fails or cannot be reached", async () => {
    answer = 500;
    const id = await approvedInbound();
    expect((await manager.post(`/api/v1/inbounds/${id}/commit`)).status).toBe(200);
    expect(await eventsNamed("flow_committed", 1)).toHaveLength(1);

    process.env.VERCEL_WEB_ANALYTICS_ENDPOINT = "http://127.0.0.1:9/_vercel/insights/event";
    resetEnvCache();
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const other = await approvedInbound();
      const res = await manager.post(`/api/v1/inbounds/${other}/commit`);
      expect(res.status).toBe(200);
      expect(res.body.data.status).toBe("committed");
    } finally {
      errors.mockRestore();
    }
  });

  it("sends nothing off Vercel (no endpoint)", async () => {
    delete process.env.VERCEL_WEB_ANALYTICS_ENDPOINT;
    resetEnvCache();
    const id = await approvedInbound();
    expect((await manager.post(`/api/v1/inbounds/${id}/commit`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    expect(received).toHaveLength(0);
  });
});

describe("inspection submitted", () => {
  it("is sent with the application's id and type only", async () => {
    const res = await acme.post("/api/v1/inspections", {
      product: "analytics monitor",
      factory_name: "Analytics Factory",
      inspection_type: "pre_shipment",
      requested_date: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data.customer_id).toBe(CUSTOMERS.acme);
    const events = await eventsNamed("inspection_submitted", 1);
    expect(events).toHaveLength(1);
    expect(events[0].body.ed).toEqual({ inspection_id: res.body.data.id, inspection_type: "pre_shipment" });
    await expectNothingPersonal(events[0]);
  });
});
