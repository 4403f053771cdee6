import { beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { DEMO_PASSWORD, USERS } from "../helpers/demo";
import { createUser } from "../helpers/fixtures";
import { openTestDatabase } from "../helpers/pglite";
import type { Query } from "../helpers/test-db";
import { client, request, type ApiResponse } from "../helpers/router";

// Rate limits through the route handlers, at their real default limits (lib/env.ts), on this
// file's own embedded database: sign-in per email and per client address (failed attempts),
// writes per user; 429 rate_limited with Retry-After. Each test signs in from its own address.

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

beforeAll(async () => {
  ({ db } = await openTestDatabase());
});

const sql: Query = async <T,>(text: string, params?: unknown[]) => (await db.query<T>(text, params)).rows;

let lastIp = 0;
/** A client address of this test's own (TEST-NET-3), as Vercel's x-forwarded-for carries it. */
const freshIp = () => `203.0.113.${++lastIp}`;

const login = (email: string, password: string, ip: string) =>
  request("POST", "/api/v1/auth/login", { body: { email, password }, headers: { "x-forwarded-for": `${ip}, 10.0.0.1` } });

function expectRateLimited(res: ApiResponse) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe("rate_limited");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.body.error.details).toEqual({ retry_after: retryAfter });
  expect(res.headers.get("x-request-id")).toMatch(/\S/);
}

async function securityEvents(email: string) {
  const rows = await db.query<{ reason: string; ip: string }>(
    "select after ->> 'reason' as reason, after ->> 'ip' as ip from public.audit_log where table_name = 'login_failures' and security_event and after ->> 'email' = $1 order by id",
    [email],
  );
  return rows.rows;
}

describe("the defaults", () => {
  it("are 5 failed sign-ins per email, 20 per address and 120 writes per user, a minute", () => {
    expect(env()).toMatchObject({ RATE_LIMIT_LOGIN_EMAIL_PER_MINUTE: 5, RATE_LIMIT_LOGIN_IP_PER_MINUTE: 20, RATE_LIMIT_WRITES_PER_MINUTE: 120 });
  });
});

describe("sign-in per email", () => {
  it("the 6th failed attempt for one email is 429 with Retry-After, even with the right password; another email still may try", async () => {
    const user = await createUser(sql, { role: "korean_team" });
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      const res = await login(user.email, `wrong-${i}`, ip);
      expect(res.status, `attempt ${i + 1}`).toBe(401);
      expect(res.body.error.code).toBe("invalid_credentials");
    }
    expectRateLimited(await login(user.email, "wrong-6", ip));
    expectRateLimited(await login(user.email, user.password, ip));
    // From another address too: the limit is the email's.
    expectRateLimited(await login(user.email, user.password, freshIp()));
    // Another email from the same address is not held back.
    const other = await login(USERS.manager.email, DEMO_PASSWORD, ip);
    expect(other.status).toBe(200);
    const otherWrong = await login(USERS.chinese.email, "wrong", ip);
    expect(otherWrong.status).toBe(401);
  });

  it("the email is matched whatever its case and spaces", async () => {
    const user = await createUser(sql, { role: "korean_team" });
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect((await login(i % 2 ? user.email.toUpperCase() : ` ${user.email} `, "wrong", ip)).status).toBe(401);
    expectRateLimited(await login(user.email, "wrong", ip));
  });

  it("successful sign-ins do not count: ten in a row, then five failures still answer 401", async () => {
    const user = await createUser(sql, { role: "manager" });
    const ip = freshIp();
    for (let i = 0; i < 10; i++) expect((await login(user.email, user.password, ip)).status, `sign-in ${i + 1}`).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(user.email, "wrong", ip)).status).toBe(401);
    expectRateLimited(await login(user.email, "wrong", ip));
  });

  it("failed sign-ins are security events in the audit log; the first refusal is one too, later ones are not", async () => {
    const user = await createUser(sql, { role: "korean_team" });
    const ip = freshIp();
    for (let i = 0; i < 8; i++) await login(user.email, "wrong", ip);
    expect(await securityEvents(user.email)).toEqual([
      ...Array.from({ length: 5 }, () => ({ reason: "invalid_credentials", ip })),
      { reason: "rate_limited", ip },
    ]);
    // The admin sees them through the audit API.
    const audit = await client("admin").get("/api/v1/audit?security=true&table=login_failures&limit=100");
    expect(audit.status).toBe(200);
    const mine = audit.body.data.filter((r: { after: { email?: string } }) => r.after?.email === user.email);
    expect(mine).toHaveLength(6);
    expect(mine[0]).toMatchObject({ action: "insert", table_name: "login_failures", row_id: user.id, security_event: true });
    expect(JSON.stringify(audit.body)).not.toContain("wrong");
  });

  it("a deactivated account's sign-in is recorded as account_disabled", async () => {
    const user = await createUser(sql, { role: "korean_team", active: false });
    const res = await login(user.email, user.password, freshIp());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("account_disabled");
    expect((await securityEvents(user.email)).map((e) => e.reason)).toEqual(["account_disabled"]);
  });
});

describe("sign-in per client address", () => {
  it("the 21st failed attempt from one address is 429, whatever the email; another address still may try", async () => {
    const ip = freshIp();
    for (let i = 0; i < 20; i++) {
      expect((await login(`spray-${i}@duly.test`, "Password1!", ip)).status, `attempt ${i + 1}`).toBe(401);
    }
    expectRateLimited(await login("spray-20@duly.test", "Password1!", ip));
    expectRateLimited(await login(USERS.admin.email, DEMO_PASSWORD, ip));
    expect((await login("spray-21@duly.test", "Password1!", freshIp())).status).toBe(401);
    expect((await login(USERS.admin.email, DEMO_PASSWORD, freshIp())).status).toBe(200);
  });

  it("x-real-ip, when the platform sets it, is the address", async () => {
    const ip = freshIp();
    const viaRealIp = (email: string) =>
      request("POST", "/api/v1/auth/login", { body: { email, password: "x" }, headers: { "x-real-ip": ip, "x-forwarded-for": freshIp() } });
    for (let i = 0; i < 20; i++) expect((await viaRealIp(`real-${i}@duly.test`)).status).toBe(401);
    expectRateLimited(await viaRealIp("real-20@duly.test"));
  });
});

describe("writes per user", () => {
  it("the 121st write in a minute is 429 with Retry-After; reads still answer; another user may still write", async () => {
    const korean = client("korean");
    // Invalid bodies: every write request counts, whatever becomes of it.
    for (let i = 0; i < 120; i++) {
      const res = await korean.post("/api/v1/engines", {});
      expect(res.status, `write ${i + 1}`).toBe(422);
    }
    expectRateLimited(await korean.post("/api/v1/engines", { code: "LIMITED1", name_ko: "제한" }));
    expectRateLimited(await korean.patch("/api/v1/engines/00000000-0000-4000-8000-000000000000", { name_en: "x" }));
    const [{ n }] = (await db.query<{ n: number }>("select count(*)::int as n from public.engines where code = 'LIMITED1'")).rows;
    expect(n).toBe(0);
    expect((await korean.get("/api/v1/engines")).status).toBe(200);
    const chinese = client("chinese");
    const created = await chinese.post("/api/v1/engines", { code: "NOTLIMITED", name_ko: "제한 없음" });
    expect(created.status).toBe(201);
  });
});
