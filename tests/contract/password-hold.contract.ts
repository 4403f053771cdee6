import { beforeAll, describe, expect, it } from "vitest";
import { service, type Caller } from "@/lib/db";
import { DbError } from "@/lib/db/types";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, USERS } from "../helpers/demo";
import { callerOf, type TestUser } from "../helpers/fixtures";
import { holdNewUser } from "../helpers/password-hold";
import { createTestSessions } from "../helpers/sessions";
import { sqlAs, type Who } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// A user who must change their password (an admin set a temporary one, or a recovery link opened
// the session) is held to changing it by
// the database itself (20261212030100_password_change_holds_direct_calls.sql), not only by the
// app: on Supabase their own token reaches every function and table directly. Their token is
// refused with password_change_required, and the tables show it nothing, except their own
// profile and the identity call; the change itself (the server, as the service role) works, and
// lifts the hold.

type Outcome = { ok: true; result: unknown } | { ok: false; code: string; message: string };

/** The tables a direct read (PostgREST's /rest/v1/<table>) is tried on, and who sees rows there when not held. */
const STAFF_TABLES = ["items", "flows", "stocks", "customers", "engines", "locations", "stock_movements", "inspection_applications", "messages", "notifications"];
const CUSTOMER_TABLES = ["items", "stocks", "customers", "locations", "inspection_applications", "flows"];
const OWN_ROWS = ["email_preferences", "translation_preferences", "import_mappings", "personal_access_tokens"];

function describePasswordHold(makeDb: MakeDb) {
  describe("a user who must change their password, calling the database with their own token", () => {
    const getDb = databaseForSuite(makeDb);
    let staff: TestUser;
    let customer: TestUser;
    let itemId: string;
    let locationId: string;

    async function rpc(fn: string, args: Record<string, unknown>, caller: Caller): Promise<Outcome> {
      try {
        return { ok: true, result: await getDb().transport.rpc(fn, args, caller) };
      } catch (error) {
        if (!(error instanceof DbError)) throw error;
        return { ok: false, code: error.code, message: error.message };
      }
    }
    const flowArgs = () => ({ p_kind: "inbound", p_to_location_id: locationId, p_lines: [{ item_id: itemId, qty: 1 }] });
    const rows = async (who: Who, table: string) => (await sqlAs<{ n: number }>(getDb(), who, `select count(*)::int as n from public.${table}`))[0].n;
    const heldOutcome = { ok: false, code: "P0001", message: "password_change_required" };

    beforeAll(async () => {
      staff = await holdNewUser(getDb(), "korean_team");
      customer = await holdNewUser(getDb(), "customer");
      [{ id: itemId }] = await getDb().query<{ id: string }>("select id from public.items where customer_id is null and active order by sku limit 1");
      [{ id: locationId }] = await getDb().query<{ id: string }>("select id from public.locations order by code limit 1");
      // Rows of their own in the tables read through "own rows" policies.
      for (const u of [staff, customer]) {
        await getDb().query("insert into public.email_preferences (user_id) values ($1) on conflict do nothing", [u.id]);
        await getDb().query("insert into public.translation_preferences (user_id, auto_translate) values ($1, true) on conflict do nothing", [u.id]);
      }
      await getDb().query("insert into public.import_mappings (user_id, kind, mapping) values ($1, 'items', '{}') on conflict do nothing", [staff.id]);
      await getDb().query(
        `insert into public.personal_access_tokens (user_id, name, scope, token_hash, token_prefix, expires_at)
         values ($1, 'made before the reset', 'read', md5(random()::text) || md5(random()::text), 'duly_pat_0000', now() + interval '30 days')`,
        [staff.id],
      );
    });

    it("the flag is on their profile row, where every checked call already looks", async () => {
      const [row] = await getDb().query<{ flag: boolean }>("select must_change_password as flag from public.profiles where id = $1", [staff.id]);
      expect(row.flag).toBe(true);
      expect(await rpc("password_state", { p_user_id: staff.id }, service)).toEqual({ ok: true, result: { must_change: true } });
    });

    it("a read (items_list) and a write (flow_create) are refused with password_change_required, also naming an admin as p_actor; nothing written", async () => {
      const [{ n: flowsBefore }] = await getDb().query<{ n: number }>("select count(*)::int as n from public.flows");
      for (const actor of [{}, { p_actor: USERS.admin.id }]) {
        expect(await rpc("items_list", { p_page: 1, p_limit: 10, ...actor }, callerOf(staff))).toEqual(heldOutcome);
        expect(await rpc("flow_create", { ...flowArgs(), ...actor }, callerOf(staff))).toEqual(heldOutcome);
      }
      expect(await getDb().query("select count(*)::int as n from public.flows")).toEqual([{ n: flowsBefore }]);
    });

    it("a customer's reads and writes of their own company's records are refused the same way", async () => {
      expect(await rpc("inspections_list", { p_page: 1, p_limit: 10 }, callerOf(customer))).toEqual(heldOutcome);
      expect(await rpc("portal_stock", {}, callerOf(customer))).toEqual(heldOutcome);
      expect(await rpc("notifications_list", {}, callerOf(staff))).toEqual(heldOutcome);
      expect(await rpc("email_preferences_get", {}, callerOf(customer))).toEqual(heldOutcome);
      expect(await rpc("update_my_profile", { p_display_name: "Renamed" }, callerOf(customer))).toEqual(heldOutcome);
      expect(await rpc("pat_create", { p_name: "t", p_scope: "read", p_expires_in_days: 30 }, callerOf(staff))).toEqual(heldOutcome);
      // The file list's page helper, called directly, has no files or figure for them either.
      for (const who of [customer, staff]) {
        expect(await sqlAs(getDb(), who, "select ids, total::text as n from private.attachment_page(null, null, null, 1, 20, null)")).toEqual([{ ids: [], n: "0" }]);
      }
    });

    it("direct table reads show them nothing, not even their own rows, but their own profile", async () => {
      for (const table of STAFF_TABLES) {
        expect(await rows("korean", table), `korean_team sees ${table}`).toBeGreaterThan(0);
        expect(await rows(staff, table), `held staff sees ${table}`).toBe(0);
      }
      for (const table of CUSTOMER_TABLES) {
        expect(await rows("acme", table), `acme sees ${table}`).toBeGreaterThan(0);
        expect(await rows(customer, table), `held customer sees ${table}`).toBe(0);
      }
      for (const table of OWN_ROWS) expect(await rows(staff, table), `held staff sees their own ${table}`).toBe(0);
      // Their own profile, and only theirs (a staff member reads everyone's when not held).
      expect(await sqlAs(getDb(), staff, "select id, must_change_password from public.profiles")).toEqual([{ id: staff.id, must_change_password: true }]);
      expect(await sqlAs(getDb(), customer, "select id from public.profiles")).toEqual([{ id: customer.id }]);
    });

    it("what changing the password needs still answers: me, me_counting, and the change itself (the server, as the service role)", async () => {
      const user = await holdNewUser(getDb(), "chinese_staff");
      expect(await rpc("me", {}, callerOf(user))).toMatchObject({ ok: true, result: { id: user.id, must_change_password: true } });
      const counted = await rpc("me_counting", { p_kind: "write", p_limit: 100, p_window_seconds: 60, p_cost: 1, p_address_limit: 0 }, callerOf(user));
      expect(counted).toMatchObject({ ok: true, result: { profile: { id: user.id, must_change_password: true }, rate: { allowed: true } } });
      // Their own token may not call the change (it trusts the server's check of the current password).
      expect(await rpc("password_change", { p_password: "a-new-pass-123" }, callerOf(user))).toMatchObject({ ok: false, code: "42501" });
      expect(await rpc("password_change", { p_password: "a-new-pass-123", p_actor: user.id }, service)).toEqual({ ok: true, result: { user_id: user.id } });

      // The change ended their sessions; signed in again, the same calls go through.
      expect(await rpc("me", {}, callerOf(user))).toEqual({ ok: true, result: null });
      await createTestSessions(getDb().query, [user.id]);
      expect(await rpc("me", {}, callerOf(user))).toMatchObject({ ok: true, result: { must_change_password: false } });
      expect(await rpc("items_list", { p_page: 1, p_limit: 10 }, callerOf(user))).toMatchObject({ ok: true });
      const created = await rpc("flow_create", flowArgs(), callerOf(user));
      expect(created, JSON.stringify(created).slice(0, 300)).toMatchObject({ ok: true });
      expect(await rows(user, "items")).toBeGreaterThan(0);
      expect(await rows(user, "profiles")).toBeGreaterThan(1);
      expect(await rpc("password_state", { p_user_id: user.id }, service)).toEqual({ ok: true, result: { must_change: false } });
    });

    it("a user without a temporary password is not held", async () => {
      expect(await rpc("items_list", { p_page: 1, p_limit: 10 }, callerOf(USERS.korean))).toMatchObject({ ok: true });
      expect(await rpc("inspections_list", { p_page: 1, p_limit: 10 }, callerOf(USERS.acme))).toMatchObject({ ok: true });
      expect(await rpc("me", {}, callerOf(USERS.korean))).toMatchObject({ ok: true, result: { must_change_password: false } });
      expect(await rows("acme", "profiles")).toBeGreaterThan(0);
    });

    it("a session opened by a recovery link (Supabase Auth's amr claim says recovery) is held the same way, without the flag", async () => {
      const recovery = (who: "korean" | "acme"): Caller => {
        const c = callerOf(USERS[who]);
        if (c.role !== "authenticated") throw new Error("a user's caller");
        return { ...c, claims: { ...c.claims, amr: [{ method: "recovery", timestamp: 1 }] } };
      };
      expect(await rpc("items_list", { p_page: 1, p_limit: 10 }, recovery("korean"))).toEqual(heldOutcome);
      expect(await rpc("flow_create", flowArgs(), recovery("korean"))).toEqual(heldOutcome);
      expect(await rpc("inspections_list", { p_page: 1, p_limit: 10 }, recovery("acme"))).toEqual(heldOutcome);
      // The identity call answers (the app reads the claim itself), and so does the profile.
      expect(await rpc("me", {}, recovery("korean"))).toMatchObject({ ok: true, result: { id: USERS.korean.id, must_change_password: false } });
      const asRecovery = (who: "korean" | "acme", sql: string) =>
        getDb().rolledBack(async (q) => {
          const c = recovery(who);
          await q("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [JSON.stringify(c.role === "authenticated" ? c.claims : {})]);
          return q<{ n: number }>(sql);
        });
      expect(await asRecovery("korean", "select count(*)::int as n from public.items")).toEqual([{ n: 0 }]);
      expect(await asRecovery("acme", "select count(*)::int as n from public.inspection_applications")).toEqual([{ n: 0 }]);
      expect(await asRecovery("korean", "select count(*)::int as n from public.profiles")).toEqual([{ n: 1 }]);
      // A password session of the same user is not held, even when its claims name the word
      // elsewhere (private.held reads the claims text first, and parses it only then).
      expect(await rpc("items_list", { p_page: 1, p_limit: 10 }, callerOf(USERS.korean))).toMatchObject({ ok: true });
      const wordElsewhere = callerOf(USERS.korean);
      if (wordElsewhere.role !== "authenticated") throw new Error("a user's caller");
      const mentions: Caller = { ...wordElsewhere, claims: { ...wordElsewhere.claims, amr: [{ method: "password", timestamp: 1 }], user_metadata: { note: "recovery" } } };
      expect(await rpc("items_list", { p_page: 1, p_limit: 10 }, mentions)).toMatchObject({ ok: true });
    });

    it("the server acting for a held user is not held (it holds them itself, and calls the change for them)", async () => {
      expect(await rpc("items_list", { p_page: 1, p_limit: 10, p_actor: staff.id }, service)).toMatchObject({ ok: true });
      expect(await rpc("me", { p_actor: customer.id }, service)).toMatchObject({ ok: true, result: { customer_id: CUSTOMERS.acme, must_change_password: true } });
    });

    it("setting and clearing the flag neither touches the profile's updated_at nor writes a profile audit row", async () => {
      const user = await holdNewUser(getDb(), "manager");
      const [before] = await getDb().query<{ updated_at: string }>("select updated_at::text from public.profiles where id = $1", [user.id]);
      await rpc("password_change", { p_password: "a-new-pass-123", p_actor: user.id }, service);
      const [after] = await getDb().query<{ updated_at: string; flag: boolean }>("select updated_at::text, must_change_password as flag from public.profiles where id = $1", [user.id]);
      expect(after).toEqual({ updated_at: before.updated_at, flag: false });
      const audit = await getDb().query("select action from public.audit_log where table_name = 'profiles' and row_id = $1 and action = 'update'", [user.id]);
      expect(audit).toEqual([]);
    });
  });
}

describePasswordHold(contractDb);
