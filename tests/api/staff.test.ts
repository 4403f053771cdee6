import { beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../helpers/pglite";
import { USERS, type DemoUser } from "../helpers/demo";
import { client, request } from "../helpers/router";

// GET /api/v1/staff through the route handler on this file's own embedded database: every staff
// role reads the directory (no emails, no customers' users); customers get 403, no session 401.

const STAFF: DemoUser[] = ["admin", "manager", "korean", "chinese"];

beforeAll(async () => {
  await openTestDatabase();
});

describe("GET /api/v1/staff", () => {
  it.each(STAFF)("%s gets every active staff member with id, name and role only", async (who) => {
    const res = await client(who).get("/api/v1/staff");
    expect(res.status).toBe(200);
    const rows = res.body.data as { id: string; display_name: string; role: string }[];
    expect(rows.map((r) => r.id).sort()).toEqual(STAFF.map((s) => USERS[s].id).sort());
    expect(rows).toContainEqual({ id: USERS.korean.id, display_name: "Choi Korean Team", role: "korean_team" });
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(["display_name", "id", "role"]);
    expect(JSON.stringify(res.body)).not.toMatch(/@/);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it.each(["acme", "bluesky"] as const)("customer %s is refused with 403 and gets no names", async (who) => {
    const res = await client(who).get("/api/v1/staff");
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect(JSON.stringify(res.body)).not.toMatch(/Wang|Choi|Park|Admin/);
  });

  it("without a session it is 401", async () => {
    const res = await request("GET", "/api/v1/staff");
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
  });
});
