import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "@/lib/env";
import { handler, ok } from "@/lib/http/handler";
import { EXPORT_READ_COST } from "@/lib/http/rate-limit";
import { DEMO_PASSWORD, USERS } from "../helpers/demo";
import { createUser } from "../helpers/fixtures";
import { openTestDatabase } from "../helpers/pglite";
import type { Query } from "../helpers/test-db";
import { client, request, type ApiResponse } from "../helpers/router";

// Rate limits through the route handlers, at their real default limits (lib/env.ts), on this
// file's own embedded database: sign-in per client address, per email and address, and per email
// (failed attempts); reads per user and per address; writes per user; 429 rate_limited with
// Retry-After. Each test signs in from its own address. The client's address is what Vercel
// reports (VERCEL set, as on Vercel) unless a test says otherwise.

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

/** Sets environment variables for the enclosing describe (undefined: unset), then restores them. */
function withEnv(vars: Record<string, string | undefined>) {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [k, v] of Object.entries(vars)) {
      saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  });
}

withEnv({ VERCEL: "1", TRUSTED_PROXIES: undefined });

beforeAll(async () => {
  ({ db } = await openTestDatabase());
});

const sql: Query = async <T,>(text: string, params?: unknown[]) => (await db.query<T>(text, params)).rows;

let lastIp = 0;
/** A client address of this test's own (TEST-NET-3), as Vercel's x-forwarded-for carries it. */
const freshIp = () => `203.0.113.${++lastIp}`;

const login = (email: string, password: string, ip: string) =>
  request("POST", "/api/v1/auth/login", { body: { email, password }, headers: { "x-forwarded-for": ip } });

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
  it("are, a minute: 5 failed sign-ins per email and address, 50 per email, 20 per address; 600 reads per user, 3000 per address; 120 writes per user", () => {
    expect(env()).toMatchObject({
      RATE_LIMIT_LOGIN_EMAIL_IP_PER_MINUTE: 5,
      RATE_LIMIT_LOGIN_EMAIL_PER_MINUTE: 50,
      RATE_LIMIT_LOGIN_IP_PER_MINUTE: 20,
      RATE_LIMIT_READS_PER_MINUTE: 600,
      RATE_LIMIT_READS_PER_ADDRESS_PER_MINUTE: 3000,
      RATE_LIMIT_WRITES_PER_MINUTE: 120,
    });
  });
});

describe("sign-in per email and address", () => {
  it("the 6th failed attempt for one email from one address is 429 with Retry-After, even with the right password; another email still may try", async () => {
    const user = await createUser(sql, { role: "korean_team" });
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      const res = await login(user.email, `wrong-${i}`, ip);
      expect(res.status, `attempt ${i + 1}`).toBe(401);
      expect(res.body.error.code).toBe("invalid_credentials");
    }
    expectRateLimited(await login(user.email, "wrong-6", ip));
    expectRateLimited(await login(user.email, user.password, ip));
    // Another email from the same address is not held back.
    const other = await login(USERS.manager.email, DEMO_PASSWORD, ip);
    expect(other.status).toBe(200);
    const otherWrong = await login(USERS.chinese.email, "wrong", ip);
    expect(otherWrong.status).toBe(401);
  });

  it("a stranger's failures do not lock the owner out: from their own address the owner still signs in", async () => {
    const user = await createUser(sql, { role: "korean_team" });
    const stranger = freshIp();
    for (let i = 0; i < 10; i++) await login(user.email, `guess-${i}`, stranger);
    expectRateLimited(await login(user.email, "guess-10", stranger));
    expect((await login(user.email, user.password, freshIp())).status).toBe(200);
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

describe("sign-in per email, from many addresses", () => {
  it("50 failures for one email from 10 addresses: the 51st, from yet another address, is 429; another email is not held back", async () => {
    const user = await createUser(sql, { role: "korean_team" });
    for (let a = 0; a < 10; a++) {
      const ip = freshIp();
      for (let i = 0; i < 5; i++) expect((await login(user.email, `spread-${a}-${i}`, ip)).status, `address ${a + 1}, attempt ${i + 1}`).toBe(401);
    }
    expectRateLimited(await login(user.email, "spread-last", freshIp()));
    expectRateLimited(await login(user.email, user.password, freshIp()));
    expect((await login(USERS.korean.email, DEMO_PASSWORD, freshIp())).status).toBe(200);
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

  it("x-vercel-forwarded-for, which Vercel keeps even behind another proxy, is the address first", async () => {
    const ip = freshIp();
    const viaVercel = (email: string) =>
      request("POST", "/api/v1/auth/login", { body: { email, password: "x" }, headers: { "x-vercel-forwarded-for": ip, "x-forwarded-for": freshIp(), "x-real-ip": freshIp() } });
    for (let i = 0; i < 20; i++) expect((await viaVercel(`vercel-${i}@duly.test`)).status).toBe(401);
    expectRateLimited(await viaVercel("vercel-20@duly.test"));
  });
});

describe("sign-in per client address, not on Vercel and with no trusted proxy", () => {
  withEnv({ VERCEL: undefined, TRUSTED_PROXIES: undefined });
  // The shared bucket is full after this test: empty it, so later sign-ins without an address work.
  afterAll(() => db.query("delete from public.rate_limits where bucket = 'login:ip:unknown'"));

  it("a forged X-Forwarded-For buys nothing: 20 failures under 20 made-up addresses, then the 21st is 429", async () => {
    for (let i = 0; i < 20; i++) {
      expect((await login(`forged-${i}@duly.test`, "Password1!", freshIp())).status, `attempt ${i + 1}`).toBe(401);
    }
    expectRateLimited(await login("forged-20@duly.test", "Password1!", freshIp()));
    // Every client shares the one unknown address (docs/security.md): the failures are recorded without one.
    expect(await securityEvents("forged-0@duly.test")).toEqual([{ reason: "invalid_credentials", ip: null }]);
  });
});

describe("sign-in per client address behind a trusted proxy", () => {
  withEnv({ VERCEL: undefined, TRUSTED_PROXIES: "1" });

  it("the right-most X-Forwarded-For entry is the address; what the client wrote before it is ignored", async () => {
    const ip = freshIp();
    for (let i = 0; i < 20; i++) {
      const res = await request("POST", "/api/v1/auth/login", {
        body: { email: `proxied-${i}@duly.test`, password: "x" },
        headers: { "x-forwarded-for": `${freshIp()}, ${ip}` },
      });
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    expectRateLimited(await login("proxied-20@duly.test", "x", ip));
    expect((await login("proxied-21@duly.test", "x", freshIp())).status).toBe(401);
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

describe("reads per user", () => {
  it("the 601st read in a minute is 429 with Retry-After; writes still answer; another user may still read", async () => {
    const user = await createUser(sql, { role: "korean_team" });
    const token = (await login(user.email, user.password, freshIp())).body.data.session.access_token as string;
    const get = (url: string) => request("GET", url, { token });
    for (let i = 0; i < 600; i++) {
      const res = await get(i % 2 ? "/api/v1/engines" : "/api/v1/engines/00000000-0000-4000-8000-000000000000");
      expect(res.status, `read ${i + 1}`).toBe(i % 2 ? 200 : 404);
    }
    expectRateLimited(await get("/api/v1/engines"));
    expectRateLimited(await get("/api/v1/items"));
    expect((await request("POST", "/api/v1/engines", { token, body: {} })).status).toBe(422);
    expect((await client("korean").get("/api/v1/engines")).status).toBe(200);
  });

  it("a request declared as an export counts EXPORT_READ_COST reads: the 31st export in a minute is 429, and reads too", async () => {
    expect(EXPORT_READ_COST).toBe(20);
    const user = await createUser(sql, { role: "korean_team" });
    const token = (await login(user.email, user.password, freshIp())).body.data.session.access_token as string;
    const exportRoute = handler({ cost: EXPORT_READ_COST }, async () => ok({ exported: true }));
    const exportOnce = () => exportRoute(new Request("http://localhost/api/v1/test-export", { headers: { authorization: `Bearer ${token}` } }));
    for (let i = 0; i < 30; i++) expect((await exportOnce()).status, `export ${i + 1}`).toBe(200);
    const refused = await exportOnce();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expectRateLimited(await request("GET", "/api/v1/engines", { token }));
  });
});

describe("personal access tokens", () => {
  // Lowered so that the shared bucket is reached quickly; the default is 600 (tested above).
  withEnv({ RATE_LIMIT_READS_PER_MINUTE: "20" });

  it("count in their user's own bucket, with the user's sessions: 10 session reads and 10 token reads, then both are 429; another user's token still reads", async () => {
    const signIn = async () => {
      const user = await createUser(sql, { role: "korean_team" });
      const session = (await login(user.email, user.password, freshIp())).body.data.session.access_token as string;
      // Made before the reads: creating a token is a write, counted in the write bucket.
      const created = await request("POST", "/api/v1/tokens", { token: session, body: { name: "limited script", scope: "read", expires_in_days: 30 } });
      expect(created.status).toBe(201);
      return { session, pat: created.body.data.token as string };
    };
    const one = await signIn();
    const other = await signIn();
    // One address, far below its own limit (3000): only the user's bucket is in play.
    const ip = freshIp();
    const read = (token: string) => request("GET", "/api/v1/engines", { token, headers: { "x-vercel-forwarded-for": ip } });
    for (let i = 0; i < 10; i++) {
      expect((await read(one.session)).status, `session read ${i + 1}`).toBe(200);
      expect((await read(one.pat)).status, `token read ${i + 1}`).toBe(200);
    }
    expectRateLimited(await read(one.pat));
    expectRateLimited(await read(one.session));
    expect((await read(other.pat)).status).toBe(200);
  });
});

describe("reads per client address", () => {
  // Lowered so that a handful of users can reach it; the default is 3000 (tested above).
  withEnv({ RATE_LIMIT_READS_PER_ADDRESS_PER_MINUTE: "30", RATE_LIMIT_READS_PER_MINUTE: "20" });

  it("users behind one address share its limit: 30 reads by two users, then a third user there is 429; elsewhere they may read", async () => {
    const ip = freshIp();
    const tokens: string[] = [];
    for (let u = 0; u < 3; u++) {
      const user = await createUser(sql, { role: "chinese_staff" });
      tokens.push((await login(user.email, user.password, ip)).body.data.session.access_token as string);
    }
    const read = (token: string, from: string) => request("GET", "/api/v1/engines", { token, headers: { "x-vercel-forwarded-for": from } });
    for (let i = 0; i < 15; i++) {
      expect((await read(tokens[0], ip)).status, `first user, read ${i + 1}`).toBe(200);
      expect((await read(tokens[1], ip)).status, `second user, read ${i + 1}`).toBe(200);
    }
    expectRateLimited(await read(tokens[2], ip));
    // The third user's own budget was not the problem: from another address they read.
    expect((await read(tokens[2], freshIp())).status).toBe(200);
  });

  it("with no trusted address there is no per-address read limit (a shared bucket would be one limit for everyone)", async () => {
    const saved = process.env.VERCEL;
    delete process.env.VERCEL;
    resetEnvCache();
    try {
      const tokens: string[] = [];
      for (let u = 0; u < 2; u++) {
        const user = await createUser(sql, { role: "chinese_staff" });
        tokens.push((await login(user.email, user.password, freshIp())).body.data.session.access_token as string);
      }
      for (let i = 0; i < 20; i++) {
        for (const token of tokens) expect((await request("GET", "/api/v1/engines", { token })).status, `read ${i + 1}`).toBe(200);
      }
      // 40 reads from "nowhere" went through; each user's own limit of 20 still holds.
      expectRateLimited(await request("GET", "/api/v1/engines", { token: tokens[0] }));
    } finally {
      process.env.VERCEL = saved;
      resetEnvCache();
    }
  });
});
