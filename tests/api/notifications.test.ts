import { beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../helpers/pglite";
import { client, request, tokenFor } from "../helpers/router";

// Staff's in-app notifications: GET /api/v1/notifications and POST /api/v1/notifications/read,
// on this file's own embedded database. Read state is per person; customers get nothing.

const SEL = "10000000-0000-4000-8000-000000000001";
const korean = client("korean");
const manager = client("manager");
const chinese = client("chinese");

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
let noticeIds: string[] = [];
let sku: string;

type Notice = { id: string; sku: string; on_hand: number; reorder_point: number; read_at: string | null };

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  // Start from nothing unread, then one item taken below its reorder point by a commit.
  await db.query("delete from public.notifications");
  sku = `NOTE-${Date.now().toString(36).toUpperCase()}`;
  const item = await korean.post("/api/v1/items", { sku, name_ko: "알림 품목", reorder_point: 5, unit_cost: 100 });
  const id = item.body.data.id;
  for (const [kind, qty] of [["inbounds", 10], ["outbounds", 7]] as const) {
    const flow = await korean.post(`/api/v1/${kind}`, { location_id: SEL, lines: [{ item_id: id, qty }] });
    await korean.post(`/api/v1/${kind}/${flow.body.data.id}/submit`);
    await manager.post(`/api/v1/${kind}/${flow.body.data.id}/approve`);
    expect((await manager.post(`/api/v1/${kind}/${flow.body.data.id}/commit`)).status).toBe(200);
  }
  noticeIds = (await db.query<{ id: string }>("select id from public.notifications where item_id = $1", [id])).rows.map((r) => r.id);
  expect(noticeIds).toHaveLength(1);
});

describe("in-app notifications", () => {
  it("lists a staff member's unread notices with the item's stock now", async () => {
    const res = await manager.get("/api/v1/notifications?unread=true");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, limit: 10, count: 1, unread: 1 });
    expect(res.body.data[0] as Notice).toMatchObject({ id: noticeIds[0], sku, on_hand: 3, reorder_point: 5, read_at: null });
  });

  it("marks the ids given read for the caller only", async () => {
    const res = await manager.post("/api/v1/notifications/read", { ids: noticeIds });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ marked: 1, unread: 0 });
    const unread = await manager.get("/api/v1/notifications?unread=true");
    expect(unread.body).toMatchObject({ count: 0, unread: 0, data: [] });
    const all = await manager.get("/api/v1/notifications");
    expect(all.body.data[0].read_at).not.toBeNull();
    // Another staff member still has it unread.
    expect((await korean.get("/api/v1/notifications?unread=true")).body.unread).toBe(1);
    // Reading it again is not an error and changes nothing.
    expect((await manager.post("/api/v1/notifications/read", { ids: noticeIds })).body.data).toEqual({ marked: 0, unread: 0 });
  });

  it("marks every unread notice read when no ids are given", async () => {
    const res = await chinese.post("/api/v1/notifications/read");
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ marked: 1, unread: 0 });
    expect((await chinese.get("/api/v1/notifications?unread=true")).body.count).toBe(0);
  });

  it.each(["acme", "bluesky"] as const)("refuses the customer %s with 403 and writes nothing", async (who) => {
    const api = client(who);
    expect((await api.get("/api/v1/notifications")).status).toBe(403);
    expect((await api.post("/api/v1/notifications/read", { ids: noticeIds })).status).toBe(403);
    const reads = await db.query("select 1 from public.notification_reads r join public.profiles p on p.id = r.user_id where p.role = 'customer'");
    expect(reads.rows).toHaveLength(0);
  });

  it("refuses anonymous callers with 401", async () => {
    expect((await request("GET", "/api/v1/notifications")).status).toBe(401);
    expect((await request("POST", "/api/v1/notifications/read", { body: {} })).status).toBe(401);
  });

  it("answers bad input with 400/422 and writes nothing", async () => {
    expect((await korean.get("/api/v1/notifications?unread=maybe")).status).toBe(400);
    expect((await korean.get("/api/v1/notifications?limit=1000")).status).toBe(400);
    for (const body of [{ ids: ["not-a-uuid"] }, { ids: [] }, { ids: "x" }, { other: 1 }]) {
      const res = await korean.post("/api/v1/notifications/read", body);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("validation_failed");
    }
    const broken = await request("POST", "/api/v1/notifications/read", { rawBody: "{", headers: { "content-type": "application/json" }, token: await tokenFor("korean") });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe("invalid_json");
    expect((await korean.get("/api/v1/notifications?unread=true")).body.unread).toBe(1);
  });

  it("staff may not read the notification_reads table directly", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [
          JSON.stringify({ sub: "a0000000-0000-4000-8000-000000000001", role: "authenticated" }),
        ]);
        await tx.query("select * from public.notification_reads");
      }),
    ).rejects.toThrow(/permission denied/);
  });
});
