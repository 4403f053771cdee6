import { describe, expect, it } from "vitest";
import { anon, call } from "@/lib/db";
import { fnStaffDirectory } from "@/lib/data/staff";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { callerOf, createUser } from "../helpers/fixtures";
import { sqlAs } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// The staff directory migration's database contract (20261130000200), run unchanged on PGlite
// and real Postgres: every staff role reads it, customers are refused,
// anon cannot execute it; it lists active staff only, with id, name and role and nothing else.

const STAFF: DemoUser[] = ["admin", "manager", "korean", "chinese"];
const CUSTOMER_USERS: DemoUser[] = ["acme", "bluesky"];
const appError = (code: string) => expect.objectContaining({ name: "AppError", code });
const SQL = "select public.staff_directory() as d";

type Row = { id: string; display_name: string; role: string };

function describeStaffDirectoryContract(makeDb: MakeDb) {
  describe("staff directory: database contract", () => {
    const getDb = databaseForSuite(makeDb);

    it.each(STAFF)("%s (staff) reads every active staff member: id, name and role only", async (who) => {
      const rows = await call(fnStaffDirectory, {}, as(who));
      const raw = (await sqlAs<{ d: Row[] }>(getDb(), who, SQL))[0].d;
      expect(raw).toEqual(rows);
      const ids = rows.map((r) => r.id);
      for (const s of STAFF) expect(ids).toContain(USERS[s].id);
      expect(rows.find((r) => r.id === USERS.chinese.id)).toEqual({ id: USERS.chinese.id, display_name: "Wang Chinese Staff", role: "chinese_staff" });
      for (const r of raw) expect(Object.keys(r).sort()).toEqual(["display_name", "id", "role"]);
      expect(JSON.stringify(raw)).not.toMatch(/@/);
    });

    it("lists no customer user and no inactive staff member; a new staff member appears", async () => {
      const inactive = await createUser(getDb().query, { role: "manager", active: false });
      const fresh = await createUser(getDb().query, { role: "chinese_staff" });
      const ids = (await call(fnStaffDirectory, {}, as("korean"))).map((r) => r.id);
      expect(ids).not.toContain(USERS.acme.id);
      expect(ids).not.toContain(USERS.bluesky.id);
      expect(ids).not.toContain(inactive.id);
      expect(ids).toContain(fresh.id);
      const [{ n }] = await getDb().query<{ n: number }>(
        "select count(*)::int as n from public.profiles where active and role in ('admin', 'manager', 'korean_team', 'chinese_staff')",
      );
      expect(ids).toHaveLength(n);
    });

    it.each(CUSTOMER_USERS)("customer %s is refused (forbidden), through the port and as SQL", async (who) => {
      await expect(call(fnStaffDirectory, {}, as(who))).rejects.toEqual(appError("forbidden"));
      await expect(sqlAs(getDb(), who, SQL)).rejects.toMatchObject({ code: "P0001", message: "forbidden" });
    });

    it("a customer naming a staff member as p_actor is still refused", async () => {
      await expect(sqlAs(getDb(), "acme", `select public.staff_directory(p_actor => '${USERS.admin.id}')`)).rejects.toMatchObject({ message: "forbidden" });
    });

    it("anon may not execute it", async () => {
      await expect(call(fnStaffDirectory, {}, anon)).rejects.toEqual(appError("forbidden"));
      await expect(sqlAs(getDb(), "anon", SQL)).rejects.toMatchObject({ code: "42501" });
    });

    it("service_role answers for the staff member it names, refuses a customer and an unnamed actor", async () => {
      const rows = await sqlAs<{ d: Row[] }>(getDb(), "service_role", `select public.staff_directory(p_actor => '${USERS.chinese.id}') as d`);
      expect(rows[0].d.map((r) => r.id)).toContain(USERS.admin.id);
      await expect(sqlAs(getDb(), "service_role", `select public.staff_directory(p_actor => '${USERS.bluesky.id}')`)).rejects.toMatchObject({ message: "forbidden" });
      await expect(sqlAs(getDb(), "service_role", SQL)).rejects.toMatchObject({ message: "unauthorized" });
    });

    it("a deactivated staff member and a new customer user are refused", async () => {
      const former = await createUser(getDb().query, { role: "korean_team", active: false });
      await expect(call(fnStaffDirectory, {}, callerOf(former))).rejects.toEqual(appError("unauthorized"));
      const customer = await createUser(getDb().query, { role: "customer", customerId: CUSTOMERS.bluesky });
      await expect(call(fnStaffDirectory, {}, callerOf(customer))).rejects.toEqual(appError("forbidden"));
    });

    it("is executable by authenticated and service_role only (not anon, not PUBLIC)", async () => {
      const rows = await getDb().query<{ grantee: string }>(
        `select r.rolname as grantee from (values ('anon'), ('public'), ('authenticated'), ('service_role')) r (rolname)
         where has_function_privilege(r.rolname, 'public.staff_directory(uuid)', 'EXECUTE') order by 1`,
      );
      expect(rows.map((r) => r.grantee)).toEqual(["authenticated", "service_role"]);
    });
  });
}

describeStaffDirectoryContract(contractDb);
