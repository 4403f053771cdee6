import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { anon, call, service } from "@/lib/db";
import { fnLoginFailureRecord, fnRateLimitHit, fnRateLimitRefund } from "@/lib/data/rate-limits";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { USERS, type DemoUser } from "../helpers/demo";
import { callerOf, createUser } from "../helpers/fixtures";
import { attempt, becomeSuperuser, sqlAs, withRole } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// The rate-limit migration's database contract, on PGlite and real Postgres: the table closed to the API roles, the functions the service role's only, the
// fixed window counted exactly, and failed sign-ins recorded as security events.

const ROLES: DemoUser[] = ["admin", "manager", "korean", "chinese", "acme", "bluesky"];
const appError = (code: string) => expect.objectContaining({ name: "AppError", code });
const bucket = () => `test:${randomUUID()}`;

function describeRateLimitContract(makeDb: MakeDb) {
  describe("rate limits: database contract", () => {
    const getDb = databaseForSuite(makeDb);

    describe("the rate_limits table", () => {
      it("has RLS on and no grant to anon or authenticated", async () => {
        const [t] = await getDb().query<{ rls: boolean }>("select relrowsecurity as rls from pg_class where oid = 'public.rate_limits'::regclass");
        expect(t.rls).toBe(true);
        const grants = await getDb().query<{ grantee: string; privilege_type: string }>(
          `select grantee, privilege_type from information_schema.role_table_grants
           where table_schema = 'public' and table_name = 'rate_limits' and grantee in ('anon', 'authenticated', 'PUBLIC')`,
        );
        expect(grants).toEqual([]);
      });

      it.each(["anon", ...ROLES] as const)("%s can neither read nor write it", async (who) => {
        await expect(sqlAs(getDb(), who, "select * from public.rate_limits")).rejects.toMatchObject({ code: "42501" });
        await expect(
          sqlAs(getDb(), who, "insert into public.rate_limits (bucket, hits, window_start, expires_at) values ('x', 0, now(), now())"),
        ).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), who, "delete from public.rate_limits")).rejects.toMatchObject({ code: "42501" });
      });

      it("the service role can read it (the server's own role)", async () => {
        await expect(sqlAs(getDb(), "service_role", "select count(*) from public.rate_limits")).resolves.toHaveLength(1);
      });
    });

    describe("who may call the functions", () => {
      const calls = [
        { name: "rate_limit_hit", sql: "select public.rate_limit_hit('test:grant', 5, 60)", port: (c: Parameters<typeof call>[2]) => call(fnRateLimitHit, { p_bucket: "test:grant", p_limit: 5, p_window_seconds: 60 }, c) },
        { name: "rate_limit_refund", sql: "select public.rate_limit_refund('test:grant')", port: (c: Parameters<typeof call>[2]) => call(fnRateLimitRefund, { p_bucket: "test:grant" }, c) },
        { name: "rate_limits_prune", sql: "select public.rate_limits_prune()", port: null },
        {
          name: "login_failure_record",
          sql: "select public.login_failure_record('someone@duly.test', '203.0.113.1', 'invalid_credentials')",
          port: (c: Parameters<typeof call>[2]) => call(fnLoginFailureRecord, { p_email: "someone@duly.test", p_reason: "invalid_credentials" }, c),
        },
      ];

      describe.each(calls)("$name()", ({ sql, port }) => {
        it("the service role may", async () => {
          await expect(sqlAs(getDb(), "service_role", sql)).resolves.toHaveLength(1);
          if (port) await expect(port(service)).resolves.not.toThrow();
        });

        it.each(["anon", ...ROLES] as const)("%s may not (42501)", async (who) => {
          await expect(sqlAs(getDb(), who, sql)).rejects.toMatchObject({ code: "42501" });
          if (port) await expect(port(who === "anon" ? anon : as(who))).rejects.toEqual(appError("forbidden"));
        });
      });

      it("private.record_security_event is executable by the service role only", async () => {
        const sql = "select private.record_security_event('login_failures', null, '{}'::jsonb)";
        await expect(sqlAs(getDb(), "service_role", sql)).resolves.toHaveLength(1);
        for (const who of ["anon", "admin", "acme"] as const) {
          await expect(sqlAs(getDb(), who, sql)).rejects.toMatchObject({ code: "42501" });
        }
      });
    });

    // Reads and writes counted with the profile (20261205000400_read_limits.sql).
    describe("me_counting", () => {
      type Rate = { allowed: boolean; hits: number; limit: number; reset_in: number };
      type Counted = { profile: { id: string; active: boolean } | null; rate: Rate | null; address_rate: Rate | null };
      // An address of this test's own (TEST-NET-2), so buckets never meet across tests.
      let lastAddress = 0;
      const freshAddress = () => `198.51.100.${++lastAddress}`;
      const counting = (q: Parameters<Parameters<typeof withRole>[2]>[0], args: unknown[]) =>
        q<{ r: Counted }>("select public.me_counting($1, $2, $3, $4, $5, $6) as r", args).then(([row]) => row.r);
      const hitsIn = async (bucketName: string) =>
        (await getDb().query<{ hits: number; window: number }>(
          "select hits, extract(epoch from expires_at - window_start)::int as window from public.rate_limits where bucket = $1",
          [bucketName],
        ))[0] ?? null;

      it.each(["anon", "service_role"] as const)("%s may not call it (42501)", async (who) => {
        await expect(sqlAs(getDb(), who, "select public.me_counting('read', 5, 60, 1, null, 0)")).rejects.toMatchObject({ code: "42501" });
      });

      it.each(ROLES)("%s gets their own profile and reads counted with their cost in read:user:<their id>", async (who) => {
        const out = await withRole(getDb(), who, async (q) => {
          const a = await counting(q, ["read", 25, 60, 1, null, 0]);
          const b = await counting(q, ["read", 25, 60, 20, null, 0]);
          const c = await counting(q, ["read", 25, 60, 5, null, 0]);
          await becomeSuperuser(q);
          const own = await q<{ hits: number }>("select hits from public.rate_limits where bucket = $1", [`read:user:${USERS[who].id}`]);
          return { a, b, c, own };
        });
        expect(out.a.profile).toMatchObject({ id: USERS[who].id, active: true });
        // 1, then 21 (an export's weight), then 26: over 25.
        expect([out.a, out.b, out.c].map((r) => [r.rate?.hits, r.rate?.allowed])).toEqual([[1, true], [21, true], [26, false]]);
        expect(out.own).toEqual([{ hits: 26 }]);
      });

      it("counts writes in write:user:<id>, and never per address", async () => {
        const user = await createUser(getDb().query, { role: "korean_team" });
        const caller = callerOf(user);
        const r = (await getDb().transport.rpc("me_counting", { p_kind: "write", p_limit: 5, p_window_seconds: 60, p_cost: 1, p_address_limit: 0 }, caller)) as Counted;
        expect(r.rate).toMatchObject({ allowed: true, hits: 1, limit: 5 });
        expect(r.address_rate).toBeNull();
        expect(await hitsIn(`write:user:${user.id}`)).toEqual({ hits: 1, window: 60 });
        expect(await hitsIn(`read:user:${user.id}`)).toBeNull();
      });

      it("counts a read in the address's bucket too, always in a 60 s window, and the two limits apart", async () => {
        const user = await createUser(getDb().query, { role: "chinese_staff" });
        const address = freshAddress();
        const caller = callerOf(user);
        const read = (cost: number) =>
          getDb().transport.rpc("me_counting", { p_kind: "read", p_limit: 100, p_window_seconds: 3600, p_cost: cost, p_address: address, p_address_limit: 3 }, caller) as Promise<Counted>;
        const first = await read(1);
        expect(first.rate).toMatchObject({ allowed: true, hits: 1, limit: 100 });
        expect(first.address_rate).toMatchObject({ allowed: true, hits: 1, limit: 3 });
        expect((await read(3)).address_rate).toMatchObject({ allowed: false, hits: 4 });
        expect(await hitsIn(`read:ip:${address}`)).toEqual({ hits: 4, window: 60 });
        expect(await hitsIn(`read:user:${user.id}`)).toEqual({ hits: 4, window: 3600 });
      });

      it("a caller naming someone else's address adds at most 1000 to it in a window: past their own 1000, nothing", async () => {
        const user = await createUser(getDb().query, { role: "korean_team" });
        const victim = freshAddress();
        const out = await withRole(getDb(), { id: user.id }, async (q) => {
          const results: Counted[] = [];
          // 10 calls of cost 100 are the caller's 1000; the 11th is theirs alone.
          for (let i = 0; i < 11; i++) results.push(await counting(q, ["read", 100_000, 60, 100, victim, 1_000_000]));
          await becomeSuperuser(q);
          const [row] = await q<{ hits: number }>("select hits from public.rate_limits where bucket = $1", [`read:ip:${victim}`]);
          return { results, victimHits: row.hits };
        });
        expect(out.results[9].address_rate).toMatchObject({ hits: 1000 });
        expect(out.results[10].rate).toMatchObject({ allowed: true, hits: 1100 });
        expect(out.results[10].address_rate).toBeNull();
        expect(out.victimHits).toBe(1000);
      });

      it("a read over the user's own limit does not count against the address", async () => {
        const user = await createUser(getDb().query, { role: "korean_team" });
        const address = freshAddress();
        const out = await withRole(getDb(), { id: user.id }, async (q) => [
          await counting(q, ["read", 1, 60, 1, address, 50]),
          await counting(q, ["read", 1, 60, 1, address, 50]),
        ]);
        expect(out[0].address_rate).toMatchObject({ hits: 1 });
        expect(out[1].rate).toMatchObject({ allowed: false, hits: 2 });
        expect(out[1].address_rate).toBeNull();
      });

      it("a deactivated user (no session left) and a session with no profile get nothing, and nothing is counted", async () => {
        const user = await createUser(getDb().query, { role: "manager", active: false });
        const address = freshAddress();
        const r = await withRole(getDb(), { id: user.id }, (q) => counting(q, ["read", 5, 60, 1, address, 10]));
        expect(r).toEqual({ profile: null, rate: null, address_rate: null });
        expect(await hitsIn(`read:user:${user.id}`)).toBeNull();
        expect(await hitsIn(`read:ip:${address}`)).toBeNull();
        expect(await withRole(getDb(), { id: randomUUID() }, (q) => counting(q, ["read", 5, 60, 1, null, 0]))).toEqual({ profile: null, rate: null, address_rate: null });
      });

      it.each([
        ["an unknown kind", ["delete", 5, 60, 1, null, 0]],
        ["a zero limit", ["read", 0, 60, 1, null, 0]],
        ["a limit over 100000", ["read", 100_001, 60, 1, null, 0]],
        ["a window under a minute", ["read", 5, 59, 1, null, 0]],
        ["a window over an hour", ["read", 5, 3601, 1, null, 0]],
        ["a zero cost", ["read", 5, 60, 0, null, 0]],
        ["a cost over 100", ["read", 5, 60, 101, null, 0]],
        ["an address that is not one", ["read", 5, 60, 1, "login:email:x", 10]],
        ["an address on a write", ["write", 5, 60, 1, "203.0.113.1", 10]],
        ["a negative address limit", ["read", 5, 60, 1, "203.0.113.1", -1]],
      ])("refuses %s (bad_request), counting nothing", async (_label, args) => {
        const user = await createUser(getDb().query, { role: "korean_team" });
        const r = await withRole(getDb(), { id: user.id }, (q) => attempt(q, "select public.me_counting($1, $2, $3, $4, $5, $6)", args));
        expect(r).toMatchObject({ ok: false, error: { code: "P0001", message: "bad_request" } });
        expect(await hitsIn(`read:user:${user.id}`)).toBeNull();
      });

      it("private.rate_limit_count is not callable by the API roles", async () => {
        for (const who of ["anon", "admin", "acme"] as const) {
          await expect(sqlAs(getDb(), who, "select private.rate_limit_count('x', 5, 60, 1)")).rejects.toMatchObject({ code: "42501" });
        }
      });
    });

    describe("rate_limit_hit", () => {
      const hit = (b: string, limit: number, windowSeconds = 60) => call(fnRateLimitHit, { p_bucket: b, p_limit: limit, p_window_seconds: windowSeconds }, service);

      it("allows `limit` hits in a window, refuses the next ones, and says when the window resets", async () => {
        const b = bucket();
        for (let i = 1; i <= 3; i++) {
          expect(await hit(b, 3)).toMatchObject({ allowed: true, hits: i, limit: 3, remaining: 3 - i });
        }
        const refused = await hit(b, 3);
        expect(refused).toMatchObject({ allowed: false, hits: 4, remaining: 0 });
        expect(refused.reset_in).toBeGreaterThanOrEqual(1);
        expect(refused.reset_in).toBeLessThanOrEqual(60);
        expect((await hit(b, 3)).allowed).toBe(false);
      });

      it("buckets are independent", async () => {
        const a = bucket();
        const b = bucket();
        await hit(a, 1);
        expect((await hit(a, 1)).allowed).toBe(false);
        expect((await hit(b, 1)).allowed).toBe(true);
      });

      it("a new window starts once the old one has expired", async () => {
        const b = bucket();
        await hit(b, 1);
        expect((await hit(b, 1)).allowed).toBe(false);
        // As if the minute had passed.
        await getDb().query("update public.rate_limits set expires_at = now() - interval '1 second' where bucket = $1", [b]);
        expect(await hit(b, 1)).toMatchObject({ allowed: true, hits: 1 });
      });

      it("a refund gives one hit back within the window, never below zero", async () => {
        const b = bucket();
        await hit(b, 2);
        await hit(b, 2);
        await call(fnRateLimitRefund, { p_bucket: b }, service);
        expect(await hit(b, 2)).toMatchObject({ allowed: true, hits: 2 });
        for (let i = 0; i < 5; i++) await call(fnRateLimitRefund, { p_bucket: b }, service);
        const [row] = await getDb().query<{ hits: number }>("select hits from public.rate_limits where bucket = $1", [b]);
        expect(row.hits).toBe(0);
      });

      it("prunes expired buckets as it goes, and rate_limits_prune removes the rest", async () => {
        const old = Array.from({ length: 30 }, () => bucket());
        for (const b of old) await hit(b, 5);
        await getDb().query("update public.rate_limits set expires_at = now() - interval '1 minute' where bucket = any($1)", [old]);
        await hit(bucket(), 5);
        const [left] = await getDb().query<{ n: number }>("select count(*)::int as n from public.rate_limits where bucket = any($1)", [old]);
        expect(left.n).toBeLessThanOrEqual(10);
        // As the service role (rolled back), then for real.
        const [pruned] = await sqlAs<{ n: number }>(getDb(), "service_role", "select public.rate_limits_prune() as n");
        expect(pruned.n).toBeGreaterThanOrEqual(left.n);
        await getDb().query("select public.rate_limits_prune()");
        const [none] = await getDb().query<{ n: number }>("select count(*)::int as n from public.rate_limits where expires_at < now()");
        expect(none.n).toBe(0);
      });

      // 20261228000200: the prune's statement cost as much as the count, and almost always found nothing.
      it("only the hit that opens a window prunes: a new bucket or an expired one renewed, not one inside its window", async () => {
        const open = bucket();
        const renewed = bucket();
        await hit(open, 5);
        await hit(renewed, 5);
        const expire = (names: string[]) =>
          getDb().query("update public.rate_limits set expires_at = now() - interval '1 minute' where bucket = any($1)", [names]);
        const left = async (names: string[]) =>
          (await getDb().query<{ n: number }>("select count(*)::int as n from public.rate_limits where bucket = any($1)", [names]))[0].n;
        const old = Array.from({ length: 3 }, () => bucket());
        for (const b of old) await hit(b, 5);
        await expire(old);
        expect(await hit(open, 5)).toMatchObject({ allowed: true, hits: 2 });
        expect(await left(old)).toBe(3);
        await expire([renewed]);
        expect(await hit(renewed, 5)).toMatchObject({ allowed: true, hits: 1 });
        expect(await left(old)).toBe(0);
        expect(await left([renewed, open])).toBe(2);
        // A new bucket opens a window too.
        for (const b of old) await hit(b, 5);
        await expire(old);
        await hit(bucket(), 5);
        expect(await left(old)).toBe(0);
      });

      it.each([
        ["an empty bucket", "select public.rate_limit_hit('', 5, 60)"],
        ["a zero limit", "select public.rate_limit_hit('test:x', 0, 60)"],
        ["a zero window", "select public.rate_limit_hit('test:x', 5, 0)"],
        ["a window over a day", "select public.rate_limit_hit('test:x', 5, 90000)"],
      ])("refuses %s (bad_request)", async (_label, sql) => {
        await expect(sqlAs(getDb(), "service_role", sql)).rejects.toMatchObject({ code: "P0001", message: "bad_request" });
      });
    });

    describe("login_failure_record", () => {
      it("writes a security event naming the account, the address and the reason; never a password", async () => {
        const email = USERS.korean.email.toUpperCase();
        await call(fnLoginFailureRecord, { p_email: ` ${email} `, p_ip: "203.0.113.9", p_reason: "invalid_credentials" }, service);
        const rows = await getDb().query<{ actor_id: string | null; action: string; table_name: string; row_id: string; after: Record<string, unknown>; security_event: boolean }>(
          "select actor_id, action, table_name, row_id, after, security_event from public.audit_log where table_name = 'login_failures' and after ->> 'ip' = '203.0.113.9'",
        );
        expect(rows).toEqual([
          {
            actor_id: null,
            action: "insert",
            table_name: "login_failures",
            row_id: USERS.korean.id,
            after: { email: USERS.korean.email, user_id: USERS.korean.id, ip: "203.0.113.9", reason: "invalid_credentials" },
            security_event: true,
          },
        ]);
      });

      it("an unknown email is recorded without an account", async () => {
        await call(fnLoginFailureRecord, { p_email: "nobody-here@duly.test", p_reason: "invalid_credentials" }, service);
        const [row] = await getDb().query<{ row_id: string | null; after: Record<string, unknown> }>(
          "select row_id, after from public.audit_log where table_name = 'login_failures' and after ->> 'email' = 'nobody-here@duly.test'",
        );
        expect(row).toEqual({ row_id: null, after: { email: "nobody-here@duly.test", user_id: null, ip: null, reason: "invalid_credentials" } });
      });

      it("refuses an unknown reason and an empty email (bad_request)", async () => {
        await expect(sqlAs(getDb(), "service_role", "select public.login_failure_record('a@b.test', null, 'bored')")).rejects.toMatchObject({ message: "bad_request" });
        await expect(sqlAs(getDb(), "service_role", "select public.login_failure_record('  ', null, 'invalid_credentials')")).rejects.toMatchObject({ message: "bad_request" });
      });

      it("role changes and deactivations are security events too (the profiles audit trigger)", async () => {
        await getDb().rolledBack(async (q) => {
          await q(`update public.profiles set role = 'manager' where id = $1`, [USERS.chinese.id]);
          await q(`update public.profiles set active = false where id = $1`, [USERS.chinese.id]);
          await q(`update public.profiles set display_name = 'Renamed' where id = $1`, [USERS.chinese.id]);
          const events = await q<{ security_event: boolean; after: Record<string, unknown> }>(
            `select security_event, after from public.audit_log where table_name = 'profiles' and row_id = $1 order by id desc limit 3`,
            [USERS.chinese.id],
          );
          expect(events.map((e) => e.security_event)).toEqual([false, true, true]);
        });
      });
    });
  });
}

describeRateLimitContract(contractDb);
