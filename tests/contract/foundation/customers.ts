import { beforeAll, describe, expect, it } from "vitest";
import { toAppError } from "@/lib/db/to-app-error";
import { CUSTOMERS, type DemoUser } from "../../helpers/demo";
import { createCustomer, createUser, type TestUser } from "../../helpers/fixtures";
import { sqlAs, withRole, type Who } from "../../helpers/sql-as";
import type { TestDb } from "../../helpers/test-db";

// customers: staff read all; customer users read only their own company; staff write;
// admin, manager and korean_team delete; anon nothing. Every rule both ways, every role.

const STAFF: DemoUser[] = ["admin", "manager", "korean", "chinese"];
const DELETERS: DemoUser[] = ["admin", "manager", "korean"];
const DEMO_IDS = [CUSTOMERS.acme, CUSTOMERS.bluesky];

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

export function describeCustomerPolicies(getDb: () => TestDb) {
  describe("customers policies", () => {
    let spare: { id: string };
    let inactiveStaff: TestUser;
    let inactiveCustomer: TestUser;
    const nobody: Who = { id: "00000000-0000-4000-8000-00000000dead" };

    beforeAll(async () => {
      const q = getDb().query;
      // A customer no profile points at, so that deleting it is possible at all.
      spare = await createCustomer(q);
      inactiveStaff = await createUser(q, { role: "korean_team", active: false });
      inactiveCustomer = await createUser(q, { role: "customer", customerId: CUSTOMERS.acme, active: false });
    });

    describe("select", () => {
      it.each(STAFF)("%s (staff) sees every customer", async (who) => {
        const rows = await sqlAs<{ id: string }>(getDb(), who, "select id from public.customers");
        expect(ids(rows)).toEqual(expect.arrayContaining([...DEMO_IDS, spare.id]));
      });

      it("service_role sees every customer", async () => {
        const rows = await sqlAs<{ id: string }>(getDb(), "service_role", "select id from public.customers");
        expect(ids(rows)).toEqual(expect.arrayContaining([...DEMO_IDS, spare.id]));
      });

      it.each([
        ["acme", CUSTOMERS.acme],
        ["bluesky", CUSTOMERS.bluesky],
      ] as const)("customer %s sees only their own company", async (who, own) => {
        const rows = await sqlAs<{ id: string }>(getDb(), who, "select id from public.customers");
        expect(ids(rows)).toEqual([own]);
      });

      it("a customer cannot read another company even by id", async () => {
        const rows = await sqlAs(getDb(), "acme", "select * from public.customers where id = $1", [CUSTOMERS.bluesky]);
        expect(rows).toEqual([]);
      });

      it("a deactivated staff member sees no customers", async () => {
        expect(await sqlAs(getDb(), inactiveStaff, "select id from public.customers")).toEqual([]);
      });

      it("a deactivated customer user no longer sees their company", async () => {
        expect(await sqlAs(getDb(), inactiveCustomer, "select id from public.customers")).toEqual([]);
      });

      it("a session without a profile sees nothing", async () => {
        expect(await sqlAs(getDb(), nobody, "select id from public.customers")).toEqual([]);
      });

      it("anon is refused", async () => {
        await expect(sqlAs(getDb(), "anon", "select id from public.customers")).rejects.toMatchObject({ code: "42501" });
      });
    });

    describe("insert", () => {
      const insert = "insert into public.customers (code, name) values ('NEWCO', 'New Co') returning id";

      it.each(STAFF)("%s (staff) creates a customer", async (who) => {
        expect(await sqlAs(getDb(), who, insert)).toHaveLength(1);
      });

      it("service_role creates a customer", async () => {
        expect(await sqlAs(getDb(), "service_role", insert)).toHaveLength(1);
      });

      it.each<[string, () => Who]>([
        ["customer acme", () => "acme"],
        ["customer bluesky", () => "bluesky"],
        ["a deactivated staff member", () => inactiveStaff],
        ["a session without a profile", () => nobody],
      ])("%s is refused by the policy", async (_label, who) => {
        await expect(sqlAs(getDb(), who(), insert)).rejects.toMatchObject({
          code: "42501",
          message: expect.stringContaining("row-level security"),
        });
      });

      it("anon is refused", async () => {
        await expect(sqlAs(getDb(), "anon", insert)).rejects.toMatchObject({ code: "42501" });
      });
    });

    describe("update", () => {
      const rename = "update public.customers set name = 'Renamed' where id = $1 returning id";

      it.each(STAFF)("%s (staff) updates a customer", async (who) => {
        const rows = await sqlAs<{ id: string }>(getDb(), who, rename, [CUSTOMERS.acme]);
        expect(ids(rows)).toEqual([CUSTOMERS.acme]);
      });

      it("service_role updates a customer", async () => {
        expect(await sqlAs(getDb(), "service_role", rename, [CUSTOMERS.acme])).toHaveLength(1);
      });

      it("a customer cannot update even their own company", async () => {
        expect(await sqlAs(getDb(), "acme", rename, [CUSTOMERS.acme])).toEqual([]);
      });

      it("a customer cannot update another company", async () => {
        expect(await sqlAs(getDb(), "acme", rename, [CUSTOMERS.bluesky])).toEqual([]);
      });

      it("a deactivated staff member cannot update", async () => {
        expect(await sqlAs(getDb(), inactiveStaff, rename, [CUSTOMERS.acme])).toEqual([]);
      });

      it("anon is refused", async () => {
        await expect(sqlAs(getDb(), "anon", rename, [CUSTOMERS.acme])).rejects.toMatchObject({ code: "42501" });
      });

      it("the change is really made and updated_at moves", async () => {
        const rows = await withRole(getDb(), "manager", async (q) => {
          await q("update public.customers set name = 'Renamed by manager' where id = $1", [CUSTOMERS.bluesky]);
          return q<{ name: string; touched: boolean }>(
            "select name, updated_at > created_at as touched from public.customers where id = $1",
            [CUSTOMERS.bluesky],
          );
        });
        expect(rows).toEqual([{ name: "Renamed by manager", touched: true }]);
      });
    });

    describe("delete", () => {
      const remove = "delete from public.customers where id = $1 returning id";

      it.each(DELETERS)("%s deletes a customer", async (who) => {
        expect(ids(await sqlAs<{ id: string }>(getDb(), who, remove, [spare.id]))).toEqual([spare.id]);
      });

      it("service_role deletes a customer", async () => {
        expect(await sqlAs(getDb(), "service_role", remove, [spare.id])).toHaveLength(1);
      });

      it("chinese_staff may not delete", async () => {
        expect(await sqlAs(getDb(), "chinese", remove, [spare.id])).toEqual([]);
      });

      it("a customer may not delete, not even their own company", async () => {
        expect(await sqlAs(getDb(), "acme", remove, [CUSTOMERS.acme])).toEqual([]);
        expect(await sqlAs(getDb(), "acme", remove, [spare.id])).toEqual([]);
      });

      it("a deactivated deleter may not delete", async () => {
        expect(await sqlAs(getDb(), inactiveStaff, remove, [spare.id])).toEqual([]);
      });

      it("a company that still has users cannot be deleted (on delete restrict), and the API says why", async () => {
        const error = await sqlAs(getDb(), "admin", remove, [CUSTOMERS.acme]).catch((e: unknown) => e);
        // restrict_violation on Postgres 17 (PGlite), foreign_key_violation before it.
        expect((error as { code: string }).code).toMatch(/^(23001|23503)$/);
        // Either way the client is told the record is still in use, never an internal error.
        expect(toAppError(error)).toMatchObject({ code: "validation_failed", message: expect.stringContaining("still in use") });
      });

      it("anon is refused", async () => {
        await expect(sqlAs(getDb(), "anon", remove, [spare.id])).rejects.toMatchObject({ code: "42501" });
      });

      it("the spare customer is still there (every test above was rolled back)", async () => {
        expect(await getDb().query("select 1 from public.customers where id = $1", [spare.id])).toHaveLength(1);
      });
    });
  });
}
