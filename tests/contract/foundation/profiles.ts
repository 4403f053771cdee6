import { beforeAll, describe, expect, it } from "vitest";
import { CUSTOMERS, USERS, type DemoUser } from "../../helpers/demo";
import { createUser, type TestUser } from "../../helpers/fixtures";
import { attempt, become, sqlAs, withRole } from "../../helpers/sql-as";
import type { TestDb } from "../../helpers/test-db";

// profiles: everyone reads their own; staff read all; customers only their own; a user changes
// only their own display name and language; role, company and active only through
// admin_set_user_access; nobody inserts or deletes through the API roles; anon nothing.

const STAFF: DemoUser[] = ["admin", "manager", "korean", "chinese"];
const EVERYONE: DemoUser[] = [...STAFF, "acme", "bluesky"];
const DEMO_IDS = Object.values(USERS).map((u) => u.id);

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

export function describeProfilePolicies(getDb: () => TestDb) {
  describe("profiles policies", () => {
    let inactiveStaff: TestUser;

    beforeAll(async () => {
      inactiveStaff = await createUser(getDb().query, { role: "manager", active: false });
    });

    describe("select", () => {
      it.each(STAFF)("%s (staff) sees every profile, staff and customers", async (who) => {
        const rows = await sqlAs<{ id: string }>(getDb(), who, "select id from public.profiles");
        expect(ids(rows)).toEqual(expect.arrayContaining([...DEMO_IDS, inactiveStaff.id]));
      });

      it("service_role sees every profile", async () => {
        const rows = await sqlAs<{ id: string }>(getDb(), "service_role", "select id from public.profiles");
        expect(ids(rows)).toEqual(expect.arrayContaining(DEMO_IDS));
      });

      it.each(["acme", "bluesky"] as const)("customer %s sees only their own profile", async (who) => {
        const rows = await sqlAs<{ id: string }>(getDb(), who, "select id from public.profiles");
        expect(ids(rows)).toEqual([USERS[who].id]);
      });

      it("a customer cannot read another user's profile by id", async () => {
        expect(await sqlAs(getDb(), "acme", "select id from public.profiles where id = $1", [USERS.bluesky.id])).toEqual([]);
        expect(await sqlAs(getDb(), "acme", "select id from public.profiles where id = $1", [USERS.admin.id])).toEqual([]);
      });

      it("a customer cannot find other users of their own company either", async () => {
        const colleague = await createUser(getDb().query, { role: "customer", customerId: CUSTOMERS.acme });
        const rows = await sqlAs<{ id: string }>(getDb(), "acme", "select id from public.profiles where customer_id = $1", [
          CUSTOMERS.acme,
        ]);
        expect(ids(rows)).toEqual([USERS.acme.id]);
        expect(ids(rows)).not.toContain(colleague.id);
      });

      it("a deactivated staff member sees only their own profile", async () => {
        const rows = await sqlAs<{ id: string }>(getDb(), inactiveStaff, "select id from public.profiles");
        expect(ids(rows)).toEqual([inactiveStaff.id]);
      });

      it("a session without a profile sees nothing", async () => {
        expect(await sqlAs(getDb(), { id: "00000000-0000-4000-8000-00000000dead" }, "select id from public.profiles")).toEqual([]);
      });

      it("anon is refused", async () => {
        await expect(sqlAs(getDb(), "anon", "select id from public.profiles")).rejects.toMatchObject({ code: "42501" });
      });
    });

    describe("insert and delete (no API role may)", () => {
      const insertPlain = `insert into public.profiles (id, email, role) values ('${USERS.acme.id}', 'x@test.example', 'admin')`;

      it.each([...EVERYONE, "anon"] as const)("%s cannot insert a profile", async (who) => {
        await expect(sqlAs(getDb(), who, insertPlain)).rejects.toMatchObject({ code: "42501" });
      });

      it("service_role (the server's own role) may insert and delete", async () => {
        const rows = await getDb().rolledBack(async (q) => {
          await q("delete from public.profiles where id = $1", [USERS.acme.id]);
          await become(q, "service_role");
          await q("insert into public.profiles (id, email, role, customer_id) values ($1, 'x@test.example', 'customer', $2)", [
            USERS.acme.id,
            CUSTOMERS.acme,
          ]);
          return q("delete from public.profiles where id = $1 returning role", [USERS.acme.id]);
        });
        expect(rows).toEqual([{ role: "customer" }]);
      });

      it.each([...EVERYONE, "anon"] as const)("%s cannot delete a profile, not even their own", async (who) => {
        const id = who === "anon" ? USERS.acme.id : USERS[who].id;
        await expect(sqlAs(getDb(), who, "delete from public.profiles where id = $1", [id])).rejects.toMatchObject({ code: "42501" });
      });
    });

    describe("update", () => {
      it.each(EVERYONE)("%s changes their own display name and language", async (who) => {
        const rows = await sqlAs(
          getDb(),
          who,
          "update public.profiles set display_name = 'New Name', locale = 'en' where id = $1 returning display_name, locale",
          [USERS[who].id],
        );
        expect(rows).toEqual([{ display_name: "New Name", locale: "en" }]);
      });

      it.each([
        ["acme", "bluesky"],
        ["bluesky", "acme"],
        ["acme", "admin"],
        ["admin", "acme"],
        ["manager", "korean"],
        ["chinese", "admin"],
      ] as const)("%s cannot change %s's display name (0 rows)", async (who, other) => {
        const rows = await sqlAs(getDb(), who, "update public.profiles set display_name = 'Hijacked' where id = $1 returning id", [
          USERS[other].id,
        ]);
        expect(rows).toEqual([]);
      });

      it.each([
        ["role", "'admin'"],
        ["active", "true"],
        ["customer_id", `'${CUSTOMERS.bluesky}'::uuid`],
        ["email", "'someone@else.test'"],
        ["id", "gen_random_uuid()"],
        ["created_at", "now()"],
      ])("nobody may change their own %s (column privilege)", async (column, value) => {
        for (const who of ["acme", "chinese", "admin"] as const) {
          await expect(
            sqlAs(getDb(), who, `update public.profiles set ${column} = ${value} where id = $1`, [USERS[who].id]),
          ).rejects.toMatchObject({ code: "42501" });
        }
      });

      it("a customer cannot promote themselves to admin, even in a statement that also sets allowed columns", async () => {
        await expect(
          sqlAs(getDb(), "acme", "update public.profiles set display_name = 'Boss', role = 'admin', customer_id = null where id = $1", [
            USERS.acme.id,
          ]),
        ).rejects.toMatchObject({ code: "42501" });
      });

      it("the locale must be one the app knows", async () => {
        await expect(
          sqlAs(getDb(), "acme", "update public.profiles set locale = 'fr' where id = $1", [USERS.acme.id]),
        ).rejects.toMatchObject({ code: "23514" });
      });

      it("a change is really made, moves updated_at and leaves role and company alone", async () => {
        const after = await withRole(getDb(), "bluesky", async (q) => {
          const denied = await attempt(q, "update public.profiles set role = 'admin' where id = $1", [USERS.bluesky.id]);
          expect(denied).toMatchObject({ ok: false, error: { code: "42501" } });
          await q("update public.profiles set display_name = 'Blue Sky Lead' where id = $1", [USERS.bluesky.id]);
          return q("select display_name, role, customer_id, updated_at > created_at as touched from public.profiles where id = $1", [
            USERS.bluesky.id,
          ]);
        });
        expect(after).toEqual([{ display_name: "Blue Sky Lead", role: "customer", customer_id: CUSTOMERS.bluesky, touched: true }]);
      });

      it("anon is refused", async () => {
        await expect(
          sqlAs(getDb(), "anon", "update public.profiles set display_name = 'x' where id = $1", [USERS.acme.id]),
        ).rejects.toMatchObject({ code: "42501" });
      });

      it("service_role may change any column (the functions run as it)", async () => {
        const rows = await sqlAs(getDb(), "service_role", "update public.profiles set locale = 'zh' where id = $1 returning locale", [
          USERS.acme.id,
        ]);
        expect(rows).toEqual([{ locale: "zh" }]);
      });
    });

    describe("auth schema", () => {
      it.each([...EVERYONE, "anon"] as const)("%s cannot read auth.users (password hashes)", async (who) => {
        await expect(sqlAs(getDb(), who, "select encrypted_password from auth.users")).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), who, "select * from auth.identities")).rejects.toMatchObject({ code: "42501" });
      });

      it("anon cannot use the private helpers", async () => {
        await expect(sqlAs(getDb(), "anon", "select private.is_staff()")).rejects.toMatchObject({ code: "42501" });
      });
    });
  });
}
