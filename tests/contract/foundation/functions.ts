import { beforeAll, describe, expect, it } from "vitest";
import { anon, call, service, type Caller } from "@/lib/db";
import { latestMigrationVersion } from "@/lib/db/migrate";
import { fnHealthCheck } from "@/lib/data/health";
import { fnAdminSetUserAccess, fnMe, fnUpdateMyProfile } from "@/lib/data/profiles";
import { AppError } from "@/lib/errors";
import { as } from "../../helpers/as";
import { CUSTOMERS, DEMO_PASSWORD, USERS, type DemoUser } from "../../helpers/demo";
import { callerOf, createUser, type TestUser } from "../../helpers/fixtures";
import { createTestSessions } from "../../helpers/sessions";
import { sqlAs } from "../../helpers/sql-as";
import type { TestDb } from "../../helpers/test-db";

// The functions the API calls, through the real port (call() with a transport) and as plain SQL
// per role: who may call them, and that nobody can act as someone else.

const EVERYONE: DemoUser[] = ["admin", "manager", "korean", "chinese", "acme", "bluesky"];

const appError = (code: string) => expect.objectContaining({ name: "AppError", code });

export function describeFunctions(getDb: () => TestDb) {
  describe("functions", () => {
    describe("me()", () => {
      it.each(EVERYONE)("%s gets their own profile", async (who) => {
        const me = await call(fnMe, {}, as(who));
        expect(me).toMatchObject({ id: USERS[who].id, email: USERS[who].email, role: USERS[who].role, active: true });
        expect(me?.customer_id).toBe(who === "acme" ? CUSTOMERS.acme : who === "bluesky" ? CUSTOMERS.bluesky : null);
      });

      it("the chinese staff member's language is Chinese", async () => {
        expect((await call(fnMe, {}, as("chinese")))?.locale).toBe("zh");
      });

      it("p_actor is ignored for a signed-in user: a customer cannot impersonate the admin", async () => {
        const me = await call(fnMe, { p_actor: USERS.admin.id }, as("acme"));
        expect(me?.id).toBe(USERS.acme.id);
        const rows = await sqlAs<{ me: { id: string; role: string } }>(getDb(), "acme", "select public.me(p_actor => $1) as me", [
          USERS.admin.id,
        ]);
        expect(rows[0].me).toMatchObject({ id: USERS.acme.id, role: "customer" });
      });

      it("service_role acts for the actor it names", async () => {
        expect((await call(fnMe, { p_actor: USERS.manager.id }, service))?.role).toBe("manager");
      });

      it("service_role without an actor is nobody", async () => {
        expect(await call(fnMe, {}, service)).toBeNull();
      });

      it("a session without a profile gets null", async () => {
        expect(await call(fnMe, {}, callerOf({ id: "00000000-0000-4000-8000-00000000dead", email: "x@test.example" }))).toBeNull();
      });

      it("a deactivated user has no session left (deactivation ends them); the service role still reads the profile, marked inactive", async () => {
        const user = await createUser(getDb().query, { role: "chinese_staff", active: false });
        expect(await call(fnMe, {}, callerOf(user))).toBeNull();
        expect(await call(fnMe, { p_actor: user.id }, service)).toMatchObject({ id: user.id, active: false });
      });

      it("anon may not call it", async () => {
        await expect(call(fnMe, {}, anon)).rejects.toEqual(appError("forbidden"));
        await expect(sqlAs(getDb(), "anon", "select public.me()")).rejects.toMatchObject({ code: "42501" });
      });
    });

    describe("update_my_profile()", () => {
      let user: TestUser;
      let other: TestUser;

      beforeAll(async () => {
        user = await createUser(getDb().query, { role: "customer", customerId: CUSTOMERS.acme });
        other = await createUser(getDb().query, { role: "customer", customerId: CUSTOMERS.bluesky });
      });

      it("changes the caller's display name and language, and keeps them", async () => {
        const updated = await call(fnUpdateMyProfile, { p_display_name: "Renamed Buyer", p_locale: "en" }, callerOf(user));
        expect(updated).toMatchObject({ id: user.id, display_name: "Renamed Buyer", locale: "en", role: "customer" });
        expect(await call(fnMe, {}, callerOf(user))).toMatchObject({ display_name: "Renamed Buyer", locale: "en" });
      });

      it("leaves a field alone when it is not given", async () => {
        await call(fnUpdateMyProfile, { p_locale: "zh" }, callerOf(user));
        expect(await call(fnMe, {}, callerOf(user))).toMatchObject({ display_name: "Renamed Buyer", locale: "zh" });
      });

      it("p_actor is ignored for a signed-in user: it changes the caller, never the named user", async () => {
        const before = await call(fnMe, {}, callerOf(other));
        const updated = await call(fnUpdateMyProfile, { p_display_name: "Not Them", p_actor: other.id }, callerOf(user));
        expect(updated.id).toBe(user.id);
        expect(await call(fnMe, {}, callerOf(other))).toMatchObject({ display_name: before?.display_name });
      });

      it("service_role changes the actor it names", async () => {
        const updated = await call(fnUpdateMyProfile, { p_display_name: "Via Server", p_actor: other.id }, service);
        expect(updated).toMatchObject({ id: other.id, display_name: "Via Server" });
      });

      it("service_role without an actor finds nobody (not_found)", async () => {
        await expect(call(fnUpdateMyProfile, { p_display_name: "x" }, service)).rejects.toEqual(appError("not_found"));
      });

      it("an unknown language is refused by the table (validation_failed)", async () => {
        await expect(
          sqlAs(getDb(), "acme", "select public.update_my_profile(p_locale => 'fr')"),
        ).rejects.toMatchObject({ code: "23514" });
      });

      it("a display name over 100 characters is refused", async () => {
        await expect(call(fnUpdateMyProfile, { p_display_name: "x".repeat(101) }, callerOf(user))).rejects.toEqual(
          appError("validation_failed"),
        );
      });

      it("anon may not call it", async () => {
        await expect(call(fnUpdateMyProfile, { p_display_name: "x", p_actor: user.id }, anon)).rejects.toEqual(appError("forbidden"));
      });
    });

    describe("admin_set_user_access()", () => {
      let target: TestUser;

      beforeAll(async () => {
        target = await createUser(getDb().query, { role: "customer", customerId: CUSTOMERS.acme });
      });

      it("the admin changes a customer into staff (the company link goes)", async () => {
        const after = await call(fnAdminSetUserAccess, { p_user_id: target.id, p_role: "korean_team" }, as("admin"));
        expect(after).toMatchObject({ id: target.id, role: "korean_team", customer_id: null, active: true });
      });

      it("the admin makes staff a customer of a company", async () => {
        const after = await call(
          fnAdminSetUserAccess,
          { p_user_id: target.id, p_role: "customer", p_customer_id: CUSTOMERS.bluesky },
          as("admin"),
        );
        expect(after).toMatchObject({ role: "customer", customer_id: CUSTOMERS.bluesky });
      });

      it("the admin deactivates and reactivates a user", async () => {
        expect(await call(fnAdminSetUserAccess, { p_user_id: target.id, p_active: false }, as("admin"))).toMatchObject({ active: false });
        expect(await call(fnMe, { p_actor: target.id }, service)).toMatchObject({ active: false, role: "customer" });
        expect(await call(fnAdminSetUserAccess, { p_user_id: target.id, p_active: true }, as("admin"))).toMatchObject({ active: true });
      });

      it("a customer role needs a company (validation_failed)", async () => {
        const staff = await createUser(getDb().query, { role: "chinese_staff" });
        await expect(call(fnAdminSetUserAccess, { p_user_id: staff.id, p_role: "customer" }, as("admin"))).rejects.toEqual(
          appError("validation_failed"),
        );
        await expect(
          call(fnAdminSetUserAccess, { p_user_id: staff.id, p_role: "customer", p_customer_id: "c0000000-0000-4000-8000-00000000beef" }, as("admin")),
        ).rejects.toEqual(appError("validation_failed"));
        expect(await call(fnMe, {}, callerOf(staff))).toMatchObject({ role: "chinese_staff", customer_id: null });
      });

      it("an unknown user is not_found", async () => {
        await expect(
          call(fnAdminSetUserAccess, { p_user_id: "00000000-0000-4000-8000-00000000dead", p_active: false }, as("admin")),
        ).rejects.toEqual(appError("not_found"));
      });

      it.each(["manager", "korean", "chinese", "acme", "bluesky"] as const)("%s may not change access (forbidden)", async (who) => {
        await expect(call(fnAdminSetUserAccess, { p_user_id: USERS[who].id, p_role: "admin" }, as(who))).rejects.toEqual(
          appError("forbidden"),
        );
        await expect(call(fnAdminSetUserAccess, { p_user_id: target.id, p_active: false }, as(who))).rejects.toEqual(
          appError("forbidden"),
        );
        expect(await call(fnMe, {}, as(who))).toMatchObject({ role: USERS[who].role });
      });

      it("a customer naming the admin as p_actor is still refused", async () => {
        await expect(
          call(fnAdminSetUserAccess, { p_user_id: USERS.acme.id, p_role: "admin", p_actor: USERS.admin.id }, as("acme")),
        ).rejects.toEqual(appError("forbidden"));
        await expect(
          sqlAs(getDb(), "acme", "select public.admin_set_user_access(p_user_id => $1, p_role => 'admin', p_actor => $2)", [
            USERS.acme.id,
            USERS.admin.id,
          ]),
        ).rejects.toMatchObject({ code: "P0001", message: "forbidden" });
      });

      it("a deactivated admin may not change access", async () => {
        const formerAdmin = await createUser(getDb().query, { role: "admin", active: false });
        await expect(call(fnAdminSetUserAccess, { p_user_id: target.id, p_active: false }, callerOf(formerAdmin))).rejects.toEqual(
          appError("forbidden"),
        );
      });

      it("service_role acts for the admin it names, and for nobody else", async () => {
        expect(
          await call(fnAdminSetUserAccess, { p_user_id: target.id, p_role: "chinese_staff", p_actor: USERS.admin.id }, service),
        ).toMatchObject({ role: "chinese_staff" });
        await expect(
          call(fnAdminSetUserAccess, { p_user_id: target.id, p_role: "admin", p_actor: USERS.manager.id }, service),
        ).rejects.toEqual(appError("forbidden"));
        await expect(call(fnAdminSetUserAccess, { p_user_id: target.id, p_role: "admin" }, service)).rejects.toEqual(
          appError("forbidden"),
        );
      });

      it("anon may not call it", async () => {
        await expect(call(fnAdminSetUserAccess, { p_user_id: target.id, p_role: "admin" }, anon)).rejects.toEqual(appError("forbidden"));
        await expect(
          sqlAs(getDb(), "anon", "select public.admin_set_user_access(p_user_id => $1, p_role => 'admin')", [target.id]),
        ).rejects.toMatchObject({ code: "42501" });
      });

      describe("the last active admin", () => {
        const onlyAdmin = async () =>
          (await getDb().query<{ n: number }>("select count(*)::int as n from public.profiles where role = 'admin' and active"))[0].n;

        it("cannot be demoted or deactivated while they are the only one", async () => {
          expect(await onlyAdmin()).toBe(1);
          for (const change of [{ p_role: "manager" as const }, { p_active: false }, { p_role: "customer" as const, p_customer_id: CUSTOMERS.acme }]) {
            await expect(call(fnAdminSetUserAccess, { p_user_id: USERS.admin.id, ...change }, as("admin"))).rejects.toEqual(
              appError("last_admin"),
            );
          }
          expect(await call(fnMe, {}, as("admin"))).toMatchObject({ role: "admin", active: true });
        });

        it("the error reaches SQL callers as 'last_admin'", async () => {
          await expect(
            sqlAs(getDb(), "admin", "select public.admin_set_user_access(p_user_id => $1, p_active => false)", [USERS.admin.id]),
          ).rejects.toMatchObject({ code: "P0001", message: "last_admin" });
        });

        it("changing nothing about their admin rights is allowed", async () => {
          expect(await call(fnAdminSetUserAccess, { p_user_id: USERS.admin.id, p_role: "admin", p_active: true }, as("admin"))).toMatchObject({
            role: "admin",
            active: true,
          });
        });

        it("can be demoted and deactivated once there is a second active admin", async () => {
          const second = await createUser(getDb().query, { role: "korean_team" });
          expect(await call(fnAdminSetUserAccess, { p_user_id: second.id, p_role: "admin" }, as("admin"))).toMatchObject({ role: "admin" });
          // A role change ends the user's sessions; the second admin signs in again.
          await createTestSessions(getDb().query, [second.id]);

          // Two admins: the second demotes the first, then gives the rights back.
          expect(await call(fnAdminSetUserAccess, { p_user_id: USERS.admin.id, p_role: "manager" }, callerOf(second))).toMatchObject({
            role: "manager",
          });
          // ...the second is now the only one, so the same guard protects them.
          await expect(call(fnAdminSetUserAccess, { p_user_id: second.id, p_active: false }, callerOf(second))).rejects.toEqual(
            appError("last_admin"),
          );
          await call(fnAdminSetUserAccess, { p_user_id: USERS.admin.id, p_role: "admin" }, callerOf(second));
          // Each role change ended the demo admin's sessions (they sign in again with the new
          // role): open their standing test session again to act as them.
          await createTestSessions(getDb().query, [USERS.admin.id]);

          // Two again: the demo admin deactivates the second.
          expect(await call(fnAdminSetUserAccess, { p_user_id: second.id, p_active: false }, as("admin"))).toMatchObject({ active: false });

          // An inactive admin does not count: the demo admin is the last active one again.
          expect(await onlyAdmin()).toBe(1);
          await expect(call(fnAdminSetUserAccess, { p_user_id: USERS.admin.id, p_role: "manager" }, as("admin"))).rejects.toEqual(
            appError("last_admin"),
          );
        });

        it("demoting an inactive admin is always allowed", async () => {
          const inactive = await createUser(getDb().query, { role: "admin", active: false });
          expect(await call(fnAdminSetUserAccess, { p_user_id: inactive.id, p_role: "manager" }, as("admin"))).toMatchObject({
            role: "manager",
            active: false,
          });
        });
      });
    });

    describe("auth.sign_in_with_password()", () => {
      const signIn = (email: string, password: string | null) =>
        sqlAs<{ user: { id: string; email: string; app_metadata: Record<string, unknown>; user_metadata: Record<string, unknown> } | null }>(
          getDb(),
          "service_role",
          "select auth.sign_in_with_password(p_email => $1, p_password => $2) as user",
          [email, password],
        ).then((rows) => rows[0].user);

      it.each(EVERYONE)("service_role signs %s in with the demo password", async (who) => {
        const user = await signIn(USERS[who].email, DEMO_PASSWORD);
        expect(user).toMatchObject({ id: USERS[who].id, email: USERS[who].email });
        expect(user?.app_metadata).toMatchObject({ role: USERS[who].role });
      });

      it("the email is matched without regard to case", async () => {
        expect((await signIn("ADMIN@Duly.Test", DEMO_PASSWORD))?.id).toBe(USERS.admin.id);
      });

      it("returns null for a wrong password, an empty one, or an unknown email", async () => {
        expect(await signIn(USERS.admin.email, "wrong-password")).toBeNull();
        expect(await signIn(USERS.admin.email, "")).toBeNull();
        expect(await signIn("nobody@duly.test", DEMO_PASSWORD)).toBeNull();
      });

      it("returns null when no password is given at all (null)", async () => {
        expect(await signIn(USERS.admin.email, null)).toBeNull();
      });

      it("returns null for a banned user, and signs them in once the ban is over", async () => {
        const q = getDb().query;
        const banned = await createUser(q, { role: "manager", bannedUntil: "2999-01-01T00:00:00Z" });
        expect(await signIn(banned.email, banned.password)).toBeNull();
        const served = await createUser(q, { role: "manager", bannedUntil: "2000-01-01T00:00:00Z" });
        expect((await signIn(served.email, served.password))?.id).toBe(served.id);
      });

      it("returns null for a deleted user", async () => {
        const deleted = await createUser(getDb().query, { role: "manager", deleted: true });
        expect(await signIn(deleted.email, deleted.password)).toBeNull();
      });

      it("records the sign-in time", async () => {
        const user = await createUser(getDb().query, { role: "manager" });
        await getDb().transport.rpc("auth.sign_in_with_password", { p_email: user.email, p_password: user.password }, service);
        const [row] = await getDb().query<{ signed_in: boolean }>(
          "select last_sign_in_at is not null as signed_in from auth.users where id = $1",
          [user.id],
        );
        expect(row.signed_in).toBe(true);
      });

      it.each<[string, () => Caller]>([
        ["anon", () => anon],
        ["an authenticated user", () => as("admin")],
      ])("%s may not call it", async (_label, caller) => {
        await expect(
          getDb().transport.rpc("auth.sign_in_with_password", { p_email: USERS.admin.email, p_password: DEMO_PASSWORD }, caller()),
        ).rejects.toMatchObject({ name: "DbError", code: "42501" });
        for (const who of ["anon", "admin", "acme"] as const) {
          await expect(
            sqlAs(getDb(), who, "select auth.sign_in_with_password($1, $2)", [USERS.admin.email, DEMO_PASSWORD]),
          ).rejects.toMatchObject({ code: "42501" });
        }
      });
    });

    describe("health_check()", () => {
      it("service_role gets the latest applied migration", async () => {
        const health = await call(fnHealthCheck, {}, service);
        expect(health.schema).toBe(await latestMigrationVersion());
        expect(Number.isNaN(Date.parse(health.time))).toBe(false);
      });

      it.each(["anon", ...EVERYONE] as const)("%s may not call it", async (who) => {
        await expect(sqlAs(getDb(), who, "select public.health_check()")).rejects.toMatchObject({ code: "42501" });
        await expect(call(fnHealthCheck, {}, who === "anon" ? anon : as(who))).rejects.toEqual(appError("forbidden"));
      });
    });

    describe("the transport (what PostgREST does)", () => {
      it("runs each call as its caller: role and user id", async () => {
        const rpc = getDb().transport.rpc.bind(getDb().transport);
        expect(await rpc("auth.role", {}, as("acme"))).toBe("authenticated");
        expect(await rpc("auth.uid", {}, as("acme"))).toBe(USERS.acme.id);
        expect(await rpc("auth.role", {}, service)).toBe("service_role");
        expect(await rpc("auth.uid", {}, service)).toBeNull();
        expect(await rpc("auth.role", {}, anon)).toBe("anon");
        expect(await rpc("auth.uid", {}, anon)).toBeNull();
      });

      it("leaves no role or claims behind on the connection", async () => {
        await call(fnMe, {}, as("acme"));
        // PGlite has one connection; on Postgres every pooled connection is checked.
        const rows = await Promise.all(
          Array.from({ length: getDb().engine === "postgres" ? 10 : 1 }, () =>
            getDb().query<{ who: string; claims: string | null; sub: string | null }>(
              "select current_user as who, nullif(current_setting('request.jwt.claims', true), '') as claims, " +
                "nullif(current_setting('request.jwt.claim.sub', true), '') as sub",
            ),
          ),
        );
        for (const [row] of rows) expect(row).toEqual({ who: expect.not.stringMatching(/^(anon|authenticated|service_role)$/), claims: null, sub: null });
      });

      it("a failed call leaves the connection usable for the next one", async () => {
        for (let i = 0; i < 3; i++) {
          await expect(call(fnHealthCheck, {}, as("acme"))).rejects.toEqual(appError("forbidden"));
          expect((await call(fnMe, {}, as("acme")))?.id).toBe(USERS.acme.id);
        }
      });

      it("maps database errors to the app's errors and keeps internals out", async () => {
        const error = await call(fnAdminSetUserAccess, { p_user_id: USERS.admin.id, p_active: false }, as("admin")).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: "last_admin", status: 409 });
        expect((error as AppError).message).not.toMatch(/select|public\.|P0001/i);
      });
    });
  });
}
