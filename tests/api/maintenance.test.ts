import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { forgetMaintenance } from "@/lib/ops/maintenance";
import { proxy } from "@/proxy";
import { openTestDatabase } from "../helpers/pglite";
import { USERS, type DemoUser } from "../helpers/demo";
import { client, request, tokenFor } from "../helpers/router";
import { setEnv as setEnvVars } from "../helpers/env";

// Maintenance mode (lib/ops/maintenance.ts) on this file's own embedded database: switched by an
// admin through the API (JSON and the status page's form) and audited; while on, every role but
// admin gets 503 `maintenance` with Retry-After from the API and the maintenance page in their
// language from every page (proxy.ts), anonymous visitors too; health endpoints answer and say
// so; signing in still works; MAINTENANCE_MODE=1 forces it without the database.

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
const admin = client("admin");
const STAFF_AND_CUSTOMERS: DemoUser[] = ["manager", "korean", "chinese", "acme"];
const READS: Record<DemoUser, string> = {
  admin: "/api/v1/items",
  manager: "/api/v1/items",
  korean: "/api/v1/items",
  chinese: "/api/v1/items",
  acme: "/api/v1/portal/shipments",
  bluesky: "/api/v1/portal/shipments",
};

const saved = { ...process.env };
function setEnv(vars: Record<string, string | undefined>) {
  setEnvVars(vars);
  forgetMaintenance();
}

async function switchTo(active: boolean, extra: Record<string, unknown> = {}) {
  const res = await admin.post("/api/v1/ops/maintenance", { active, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

/** A page request as a browser sends it, through the proxy. */
async function page(path: string, who?: DemoUser, headers: Record<string, string> = {}) {
  const h = new Headers(headers);
  if (who) h.set("authorization", `Bearer ${await tokenFor(who)}`);
  return proxy(new NextRequest(`http://localhost${path}`, { headers: h }));
}

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  // Everyone signs in before maintenance starts (signing in stays open anyway, see below).
  for (const who of [...STAFF_AND_CUSTOMERS, "admin"] as DemoUser[]) await tokenFor(who);
});
afterEach(async () => {
  setEnv({ MAINTENANCE_MODE: undefined });
  await db.query("update public.ops_maintenance set active = false, message = null, ends_at = null");
  forgetMaintenance();
});
afterAll(() => {
  process.env = { ...saved };
  resetEnvCache();
});

describe("switching it", () => {
  it("an admin switches it on with a message and an expected end, and off again; both are audited with the admin as actor", async () => {
    const ends = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const on = await switchTo(true, { message: "Sunday window", ends_at: ends });
    expect(on.body.data).toMatchObject({ active: true, message: "Sunday window", source: "database" });
    expect(Date.parse(on.body.data.ends_at)).toBe(Date.parse(ends));
    expect((await admin.get("/api/v1/ops/maintenance")).body.data).toMatchObject({ active: true, message: "Sunday window" });
    const off = await switchTo(false);
    expect(off.body.data).toMatchObject({ active: false, message: null, ends_at: null });
    const audit = await db.query<{ actor_id: string; before: { active: boolean }; after: { active: boolean } }>(
      "select actor_id, before, after from public.audit_log where table_name = 'ops_maintenance' order by id desc limit 2",
    );
    expect(audit.rows.map((r) => [r.actor_id, r.before.active, r.after.active])).toEqual([
      [USERS.admin.id, true, false],
      [USERS.admin.id, false, true],
    ]);
  });

  it("the status page's form switches it and is sent back to /admin/status", async () => {
    const res = await request("POST", "/api/v1/ops/maintenance", {
      rawBody: new URLSearchParams({ active: "true", message: "점검", ends_at: "2030-01-05T03:00" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      token: await tokenFor("admin"),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/status");
    // A datetime-local field is a wall-clock time in Seoul.
    const row = (await db.query<{ active: boolean; ends_at: Date }>("select active, ends_at from public.ops_maintenance")).rows[0];
    expect(row.active).toBe(true);
    expect(row.ends_at.toISOString()).toBe("2030-01-04T18:00:00.000Z");
  });

  it("refuses a bad expected end or message with 422 and changes nothing", async () => {
    for (const body of [{ active: true, ends_at: "next sunday" }, { active: true, message: "x".repeat(501) }, { active: "yes" }, {}]) {
      const res = await admin.post("/api/v1/ops/maintenance", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe("validation_failed");
    }
    expect((await db.query<{ active: boolean }>("select active from public.ops_maintenance")).rows[0].active).toBe(false);
  });

  it.each(["manager", "korean", "chinese", "acme"] as DemoUser[])("%s may not switch it or read it (403), and nothing changes", async (who) => {
    expect((await client(who).post("/api/v1/ops/maintenance", { active: true })).status).toBe(403);
    expect((await client(who).get("/api/v1/ops/maintenance")).status).toBe(403);
    expect((await request("POST", "/api/v1/ops/maintenance", { body: { active: true } })).status).toBe(401);
    expect((await db.query<{ active: boolean }>("select active from public.ops_maintenance")).rows[0].active).toBe(false);
  });
});

describe("while it is on", () => {
  it.each(STAFF_AND_CUSTOMERS)("the API answers %s 503 maintenance with Retry-After until the expected end", async (who) => {
    expect((await client(who).get(READS[who])).status).toBe(200);
    await switchTo(true, { message: "DB upgrade", ends_at: new Date(Date.now() + 600_000).toISOString() });
    const res = await client(who).get(READS[who]);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: "maintenance", details: { message: "DB upgrade" } });
    const retry = Number(res.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(500);
    expect(retry).toBeLessThanOrEqual(600);
    // Writes too, and switching it off is not theirs to do.
    expect((await client(who).post("/api/v1/ops/maintenance", { active: false })).status).toBe(503);
  });

  it("anonymous API callers get 503 maintenance (not 401); admins keep working", async () => {
    await switchTo(true);
    const anon = await request("GET", "/api/v1/items");
    expect(anon.status).toBe(503);
    expect(anon.body.error.code).toBe("maintenance");
    expect(anon.headers.get("retry-after")).toBe("300");
    expect((await admin.get("/api/v1/items")).status).toBe(200);
    expect((await admin.post("/api/v1/engines", { code: `M${Date.now().toString(36).slice(-6).toUpperCase()}`, name_ko: "점검 중 생성" })).status).toBe(201);
  });

  it("health endpoints keep answering and report it; signing in still works", async () => {
    await switchTo(true);
    for (const path of ["/healthz", "/api/health", "/health"]) {
      const res = await request("GET", path);
      expect(res.status, path).toBe(200);
      expect(res.body.maintenance, path).toBe(true);
    }
    expect((await request("GET", "/health/live")).status).toBe(200);
    expect((await request("GET", "/health/ready")).status).toBe(200);
    const login = await request("POST", "/api/v1/auth/login", { body: { email: USERS.admin.email, password: "duly-demo-pass" } });
    expect(login.status).toBe(200);
  });

  it("pages: the maintenance page with 503 and Retry-After in each user's language; admins and the login page go through", async () => {
    await switchTo(true, { message: "일요일 정기 점검" });
    const korean = await page("/dashboard", "korean");
    expect(korean.status).toBe(503);
    expect(korean.headers.get("retry-after")).toBe("300");
    expect(korean.headers.get("content-type")).toMatch(/^text\/html/);
    const ko = await korean.text();
    expect(ko).toContain('<html lang="ko">');
    expect(ko).toContain("시스템 점검 중입니다");
    expect(ko).toContain("일요일 정기 점검");
    const zh = await (await page("/dashboard", "chinese")).text();
    expect(zh).toContain('<html lang="zh">');
    expect(zh).toContain("系统正在维护");
    expect((await page("/portal", "acme")).status).toBe(503);
    expect((await page("/dashboard", "manager")).status).toBe(503);
    const anon = await page("/items", undefined, { "accept-language": "en-US,en;q=0.9" });
    expect(anon.status).toBe(503);
    expect(await anon.text()).toContain("The system is under maintenance");
    // An admin's page request goes on to the page; so does the login page for anyone.
    const adminPage = await page("/dashboard", "admin");
    expect(adminPage.status).toBe(200);
    expect(adminPage.headers.get("x-middleware-next")).toBe("1");
    expect((await page("/login")).status).toBe(200);
    // The admin's message is text, never markup.
    await switchTo(true, { message: "<script>alert(1)</script>" });
    expect(await (await page("/dashboard", "korean")).text()).not.toContain("<script>alert(1)</script>");
  });

  it("switched off, everyone is back at once (the cached state is dropped on the switch)", async () => {
    await switchTo(true);
    expect((await client("korean").get("/api/v1/items")).status).toBe(503);
    await switchTo(false);
    expect((await client("korean").get("/api/v1/items")).status).toBe(200);
    expect((await page("/dashboard", "korean")).status).toBe(200);
  });

  it("MAINTENANCE_MODE=1 forces it on whatever the database says; the status API says where it comes from", async () => {
    setEnv({ MAINTENANCE_MODE: "1" });
    expect((await client("korean").get("/api/v1/items")).status).toBe(503);
    expect((await page("/dashboard", "chinese")).status).toBe(503);
    expect((await admin.get("/api/v1/ops/maintenance")).body.data).toMatchObject({ active: true, source: "env" });
    expect((await request("GET", "/healthz")).body.maintenance).toBe(true);
    setEnv({ MAINTENANCE_MODE: undefined });
    expect((await client("korean").get("/api/v1/items")).status).toBe(200);
  });
});
