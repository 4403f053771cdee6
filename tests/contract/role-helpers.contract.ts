import { describe, expect, it } from "vitest";
import { ACTIONS, can, ROLES } from "@/lib/auth/permissions";
import { USERS, type DemoUser } from "../helpers/demo";
import { sqlAs, sqlAsCounting } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";
import { contractDb } from "../helpers/contract-db";

// The role helpers of 20261206070100 and 20261207170100: private.roles_for(action) says in SQL what
// lib/auth/permissions.ts says in TypeScript, for every role and action; private.may(action)
// answers it for the signed-in user; policies ask it and functions name their actions
// (private.begin_action_for) instead of listing roles. Run on PGlite
// (tests/db) and real Postgres (tests/pg).

const DEMO: DemoUser[] = ["admin", "manager", "korean", "chinese", "acme"];

function describeRoleHelpersContract(makeDb: MakeDb) {
  describe("role helpers", () => {
    const getDb = databaseForSuite(makeDb);

    it("private.roles_for agrees with the permission matrix for every action and role", async () => {
      const rows = await getDb().query<{ action: string; roles: string[] | null }>(
        "select a as action, private.roles_for(a) as roles from unnest($1::text[]) a",
        [[...ACTIONS]],
      );
      for (const { action, roles } of rows) {
        for (const role of ROLES) {
          expect((roles ?? []).includes(role), `${role} ${action}`).toBe(can(role, action as (typeof ACTIONS)[number]));
        }
      }
    });

    // 20261223000100: with `where p.id = private.actor(...)` the planner scanned the small
    // profiles table and ran private.actor (and its session check) row by row, several times.
    it("the caller's profile is read with the session checked once, whatever the number of users", async () => {
      const [{ n }] = await getDb().query<{ n: number }>("select count(*)::int as n from public.profiles");
      expect(n).toBeGreaterThan(3);
      const calls = async (who: DemoUser, sql: string) =>
        (await sqlAsCounting(getDb(), who, sql)).calls.find((c) => c.fn === "private.session_is_live")?.calls ?? 0;
      for (const [who, sql] of [
        ["manager", "select public.me()"],
        ["manager", "select private.is_staff()"],
        ["acme", "select private.my_customer_id()"],
        ["acme", "select private.actor_customer_id(null)"],
      ] as const) {
        expect(await calls(who, sql), `${who}: ${sql}`).toBe(1);
      }
      // Still checked: a caller whose session is gone is nobody.
      expect((await sqlAs<{ me: unknown }>(getDb(), { id: USERS.manager.id, sessionId: crypto.randomUUID() }, "select public.me() as me"))[0].me).toBeNull();
    });

    it("an action the matrix does not know allows no one", async () => {
      expect((await getDb().query("select private.roles_for('records:destroy') as roles"))[0]).toEqual({ roles: null });
      expect((await sqlAs<{ may: boolean }>(getDb(), "admin", "select private.may('records:destroy') as may"))[0].may).toBe(false);
    });

    it.each(DEMO)("private.may answers for %s as the matrix does", async (who) => {
      const rows = await sqlAs<{ action: string; may: boolean }>(
        getDb(),
        who,
        "select a as action, private.may(a) as may from unnest($1::text[]) a",
        [[...ACTIONS]],
      );
      for (const { action, may } of rows) expect(may, `${who} ${action}`).toBe(can(USERS[who].role, action as (typeof ACTIONS)[number]));
    });

    it("without a profile (anon's claims or a stranger's), private.may is false", async () => {
      const stranger = { id: "00000000-0000-4000-8000-00000000beef" };
      expect((await sqlAs<{ may: boolean }>(getDb(), stranger, "select private.may('records:read') as may"))[0].may).toBe(false);
    });

    it("the audit log is read by admin only, through the matrix (allowed and denied)", async () => {
      await getDb().query("insert into public.audit_log (table_name, action) values ('customers', 'update')");
      const countAs = async (who: DemoUser) => (await sqlAs<{ n: number }>(getDb(), who, "select count(*)::int as n from public.audit_log"))[0].n;
      expect(await countAs("admin")).toBeGreaterThan(0);
      for (const who of ["manager", "korean", "chinese", "acme"] as const) expect(await countAs(who), who).toBe(0);
    });

    it("no function lists roles by hand: they name the actions they do (private.begin_action_for)", async () => {
      const rows = await getDb().query<{ fn: string }>(
        `select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where n.nspname in ('public', 'private') and p.prosrc ~ 'begin_action\\(p_actor, *'''`,
      );
      expect(rows).toEqual([]);
    });

    it("begin_action_for lets in the roles of any action it names, and no one for an unknown action", async () => {
      const attempt = async (who: DemoUser, actions: string[]) => {
        try {
          await sqlAs(getDb(), who, "select private.begin_action_for(null, variadic $1::text[])", [actions]);
          return "allowed";
        } catch (e) {
          return /not allowed|forbidden/i.test(String((e as Error).message)) ? "forbidden" : String(e);
        }
      };
      expect(await attempt("manager", ["flows:approve"])).toBe("allowed");
      expect(await attempt("korean", ["flows:approve"])).toBe("forbidden");
      expect(await attempt("acme", ["records:read"])).toBe("forbidden");
      expect(await attempt("acme", ["records:read", "own-records:read"])).toBe("allowed");
      expect(await attempt("admin", ["records:destroy"])).toBe("forbidden");
    });

    it("no policy lists roles by hand: they ask is_staff, my_customer_id or may", async () => {
      const rows = await getDb().query<{ policy: string }>(
        `select schemaname || '.' || tablename || ': ' || policyname as policy from pg_policies
         where coalesce(qual, '') || coalesce(with_check, '') ~ '(has_role|''(admin|manager|korean_team|chinese_staff)'')'`,
      );
      expect(rows).toEqual([]);
    });
  });
}

describeRoleHelpersContract(contractDb);
