import { beforeAll, describe, expect, it } from "vitest";
import { anon, call, service } from "@/lib/db";
import { fnCustomerCreate, fnCustomerGet, fnCustomersList, fnCustomerUpdate } from "@/lib/data/customers";
import {
  fnInspectionCancel,
  fnInspectionComplete,
  fnInspectionCreate,
  fnInspectionGet,
  fnInspectionReport,
  fnInspectionSchedule,
  fnInspectionSetInternalNotes,
  fnInspectionsList,
  fnInspectionStart,
} from "@/lib/data/inspections";
import { fnMessageSend, fnMessagesList, fnMessagesMarkRead, fnMessagesUnread } from "@/lib/data/messages";
import { fnPortalShipmentGet, fnPortalShipments, fnPortalStock } from "@/lib/data/portal";
import { as } from "../helpers/as";
import { catalogChecks } from "./foundation/catalog";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { callerOf, createCustomer, createUser } from "../helpers/fixtures";
import { attempt, become, sqlAs, withRole } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb, type TestDb } from "../helpers/test-db";

// The inspections migrations' database contract (20261122000700 tables and policies,
// 20261122000710 functions), run unchanged on PGlite and real Postgres:
// every table for every role including anon, every function allowed and denied, each workflow
// rule both ways, and that one customer never reaches another's rows.

const STAFF: DemoUser[] = ["admin", "manager", "korean", "chinese"];
const CUSTOMER_USERS = ["acme", "bluesky"] as const;
const EVERYONE: DemoUser[] = [...STAFF, ...CUSTOMER_USERS];
const OTHER = { acme: "bluesky", bluesky: "acme" } as const;
const TODAY = new Date().toISOString().slice(0, 10);

const appError = (code: string) => expect.objectContaining({ name: "AppError", code });

const application = (extra: Record<string, unknown> = {}) => ({
  product: "Contract test widget",
  quantity: 100,
  factory_name: "Contract Factory",
  inspection_type: "pre_shipment",
  requested_date: TODAY,
  ...extra,
});

async function newInspection(who: DemoUser = "acme", extra: Record<string, unknown> = {}) {
  return call(fnInspectionCreate, { p_data: application(extra) }, as(who));
}

async function scheduled(who: "acme" | "bluesky" = "acme") {
  const created = await newInspection(who);
  return call(fnInspectionSchedule, { p_id: created.id, p_scheduled_date: TODAY, p_inspector_id: USERS.chinese.id }, as("korean"));
}

async function inProgress(who: "acme" | "bluesky" = "acme") {
  const s = await scheduled(who);
  return call(fnInspectionStart, { p_id: s.id }, as("chinese"));
}

async function reportReady(who: "acme" | "bluesky" = "acme") {
  const s = await inProgress(who);
  return call(fnInspectionReport, { p_id: s.id }, as("chinese"));
}

/** Rows of a table by company, as the superuser sees them. */
async function countBy(db: TestDb, table: string): Promise<Record<string, number>> {
  const rows = await db.query<{ customer_id: string; n: number }>(`select customer_id, count(*)::int as n from public.${table} group by 1`);
  return Object.fromEntries(rows.map((r) => [r.customer_id, r.n]));
}

function describeInspectionContract(makeDb: MakeDb) {
  describe("inspections: database contract", () => {
    const getDb = databaseForSuite(makeDb);

    // -----------------------------------------------------------------------------------------
    describe("tables: every role, every operation", () => {
      const TABLES = ["inspection_applications", "messages", "inspection_events"] as const;
      let anAcmeInspection: string;

      beforeAll(async () => {
        const [row] = await getDb().query<{ id: string }>("select id from public.inspection_applications where customer_id = $1 limit 1", [CUSTOMERS.acme]);
        anAcmeInspection = row.id;
      });

      describe.each(TABLES)("%s", (table) => {
        it("the seed has rows of both customers", async () => {
          const counts = await countBy(getDb(), table);
          expect(counts[CUSTOMERS.acme]).toBeGreaterThan(0);
          expect(counts[CUSTOMERS.bluesky]).toBeGreaterThan(0);
        });

        it.each(STAFF)("%s (staff) selects every row", async (who) => {
          const [{ n }] = await getDb().query<{ n: number }>(`select count(*)::int as n from public.${table}`);
          const rows = await sqlAs<{ n: number }>(getDb(), who, `select count(*)::int as n from public.${table}`);
          expect(rows[0].n).toBe(n);
        });

        it.each(CUSTOMER_USERS)("customer %s selects only their company's rows", async (who) => {
          const rows = await sqlAs<{ customer_id: string }>(getDb(), who, `select customer_id from public.${table}`);
          expect(rows.length).toBeGreaterThan(0);
          expect(new Set(rows.map((r) => r.customer_id))).toEqual(new Set([CUSTOMERS[who]]));
          const other = await sqlAs(getDb(), who, `select 1 from public.${table} where customer_id = $1`, [CUSTOMERS[OTHER[who]]]);
          expect(other).toEqual([]);
        });

        it("a deactivated customer user and a session without a profile select nothing", async () => {
          const former = await createUser(getDb().query, { role: "customer", customerId: CUSTOMERS.acme, active: false });
          expect(await sqlAs(getDb(), former, `select 1 from public.${table}`)).toEqual([]);
          expect(await sqlAs(getDb(), { id: "00000000-0000-4000-8000-00000000dead" }, `select 1 from public.${table}`)).toEqual([]);
        });

        it("anon may not select", async () => {
          await expect(sqlAs(getDb(), "anon", `select 1 from public.${table}`)).rejects.toMatchObject({ code: "42501" });
        });

        it("service_role selects every row", async () => {
          const [{ n }] = await getDb().query<{ n: number }>(`select count(*)::int as n from public.${table}`);
          expect((await sqlAs<{ n: number }>(getDb(), "service_role", `select count(*)::int as n from public.${table}`))[0].n).toBe(n);
        });

        it.each([...EVERYONE, "anon"] as const)("%s may not update or delete directly (writes go through functions)", async (who) => {
          const column = table === "inspection_events" ? "detail = '{}'" : table === "messages" ? "read_by_staff_at = now()" : "status = 'cancelled'";
          await expect(sqlAs(getDb(), who, `update public.${table} set ${column}`)).rejects.toMatchObject({ code: "42501" });
          await expect(sqlAs(getDb(), who, `delete from public.${table}`)).rejects.toMatchObject({ code: "42501" });
        });
      });

      it.each([...EVERYONE, "anon"] as const)("%s may not insert an application, message or event directly", async (who) => {
        const self = who === "anon" ? USERS.acme.id : USERS[who].id;
        await expect(
          sqlAs(getDb(), who, `insert into public.inspection_applications (number, customer_id, applicant_id, product, factory_name, inspection_type, requested_date)
            values ('INS-X', $1, $2, 'x', 'y', 'loading', current_date)`, [CUSTOMERS.acme, self]),
        ).rejects.toMatchObject({ code: "42501" });
        await expect(
          sqlAs(getDb(), who, "insert into public.messages (inspection_id, customer_id, sender_id, from_staff, body) values ($1, $2, $3, false, 'hi')", [
            anAcmeInspection,
            CUSTOMERS.acme,
            self,
          ]),
        ).rejects.toMatchObject({ code: "42501" });
        await expect(
          sqlAs(getDb(), who, "insert into public.inspection_events (inspection_id, customer_id, action) values ($1, $2, 'started')", [
            anAcmeInspection,
            CUSTOMERS.acme,
          ]),
        ).rejects.toMatchObject({ code: "42501" });
      });

      it("service_role may insert and update (the server's own role)", async () => {
        const rows = await sqlAs(getDb(), "service_role", "update public.inspection_applications set notes = 'x' where id = $1 returning id", [anAcmeInspection]);
        expect(rows).toHaveLength(1);
      });

      it.each(EVERYONE)("%s may not read internal_notes directly (column not granted; staff read it through the functions)", async (who) => {
        await expect(sqlAs(getDb(), who, "select internal_notes from public.inspection_applications")).rejects.toMatchObject({ code: "42501" });
      });

      it.each(CUSTOMER_USERS)("customer %s never sees staff-only timeline events", async (who) => {
        const rows = await sqlAs(getDb(), who, "select 1 from public.inspection_events where staff_only");
        expect(rows).toEqual([]);
        const [{ n }] = await getDb().query<{ n: number }>("select count(*)::int as n from public.inspection_events where staff_only and customer_id = $1", [CUSTOMERS[who]]);
        expect(n).toBeGreaterThan(0);
      });

      it("staff see the staff-only events", async () => {
        expect((await sqlAs(getDb(), "chinese", "select 1 from public.inspection_events where staff_only")).length).toBeGreaterThan(0);
      });

      it("the sequence of the timeline is closed to the API roles", async () => {
        await expect(sqlAs(getDb(), "acme", "select nextval('public.inspection_events_id_seq')")).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), "anon", "select nextval('public.inspection_events_id_seq')")).rejects.toMatchObject({ code: "42501" });
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("functions: who may call them", () => {
      it("no function of these migrations is executable by anon or PUBLIC", async () => {
        const rows = await getDb().query(
          `select p.oid::regprocedure::text as fn, r.rolname as grantee
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           cross join (values ('anon'), ('public')) r (rolname)
           where n.nspname in ('public', 'private')
             and (p.proname like 'inspection%' or p.proname like 'customer%' or p.proname like 'message%' or p.proname like 'portal_%'
                  or p.proname in ('shipment_json', 'shipments_json', 'shipments_lines', 'actor_customer_id', 'staff_display_name', 'display_names', 'is_staff_role', 'next_inspection_number'))
             and has_function_privilege(r.rolname, p.oid, 'EXECUTE')`,
        );
        expect(rows).toEqual([]);
      });

      it("the write helpers are not callable from a session", async () => {
        await expect(sqlAs(getDb(), "admin", "select private.inspection_for_write(gen_random_uuid(), null)")).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), "admin", "select private.customer_json(gen_random_uuid())")).rejects.toMatchObject({ code: "42501" });
      });

      const READ_BY_ALL = [
        ["inspections_list", "select public.inspections_list()"],
        ["messages_unread", "select public.messages_unread()"],
      ] as const;
      describe.each(READ_BY_ALL)("%s()", (_name, sql) => {
        it.each(EVERYONE)("%s may call it", async (who) => {
          expect(await sqlAs(getDb(), who, sql)).toHaveLength(1);
        });
        it("anon may not", async () => {
          await expect(sqlAs(getDb(), "anon", sql)).rejects.toMatchObject({ code: "42501" });
        });
        it("a deactivated user is refused", async () => {
          const former = await createUser(getDb().query, { role: "manager", active: false });
          await expect(sqlAs(getDb(), former, sql)).rejects.toMatchObject({ message: "unauthorized" });
        });
      });

      const STAFF_ONLY = [
        ["customers_list", "select public.customers_list()"],
        ["customer_get", `select public.customer_get('${CUSTOMERS.acme}')`],
        ["customer_update", `select public.customer_update('${CUSTOMERS.acme}', '{"phone": "+82-2-555-0199"}')`],
        ["customer_create", `select public.customer_create('{"code": "NEWCO", "name": "New Co"}')`],
      ] as const;
      describe.each(STAFF_ONLY)("%s()", (_name, sql) => {
        it.each(STAFF)("%s (staff) may call it", async (who) => {
          expect(await sqlAs(getDb(), who, sql)).toHaveLength(1);
        });
        it.each(CUSTOMER_USERS)("customer %s is refused (forbidden)", async (who) => {
          await expect(sqlAs(getDb(), who, sql)).rejects.toMatchObject({ code: "P0001", message: "forbidden" });
        });
        it("anon may not execute it", async () => {
          await expect(sqlAs(getDb(), "anon", sql)).rejects.toMatchObject({ code: "42501" });
        });
        it("a customer naming a staff member as p_actor is still refused; service_role acts for whom it names", async () => {
          const withActor = (id: string) => sql.replace(/\)$/, `${sql.endsWith("()") ? "" : ", "}p_actor => '${id}')`);
          await expect(sqlAs(getDb(), "acme", withActor(USERS.admin.id))).rejects.toMatchObject({ message: "forbidden" });
          await expect(sqlAs(getDb(), "service_role", withActor(USERS.korean.id))).resolves.toHaveLength(1);
          await expect(sqlAs(getDb(), "service_role", withActor(USERS.acme.id))).rejects.toMatchObject({ message: "forbidden" });
          await expect(sqlAs(getDb(), "service_role", sql)).rejects.toMatchObject({ message: "unauthorized" });
        });
      });

      const PORTAL = [
        ["portal_shipments", "select public.portal_shipments()"],
        ["portal_stock", "select public.portal_stock()"],
      ] as const;
      describe.each(PORTAL)("%s()", (_name, sql) => {
        it.each(CUSTOMER_USERS)("customer %s may call it", async (who) => {
          expect(await sqlAs(getDb(), who, sql)).toHaveLength(1);
        });
        it.each(STAFF)("%s (staff) is refused: the portal is for customers", async (who) => {
          await expect(sqlAs(getDb(), who, sql)).rejects.toMatchObject({ message: "forbidden" });
        });
        it("anon may not execute it", async () => {
          await expect(sqlAs(getDb(), "anon", sql)).rejects.toMatchObject({ code: "42501" });
        });
      });

      it.each(["schedule", "start", "report", "complete", "notes"] as const)("customers are refused the staff step %s; anon may not call it", async (step) => {
        const mine = await newInspection("acme");
        const sql = {
          schedule: `select public.inspection_schedule('${mine.id}', current_date, '${USERS.chinese.id}')`,
          start: `select public.inspection_start('${mine.id}')`,
          report: `select public.inspection_report('${mine.id}', 'pass')`,
          complete: `select public.inspection_complete('${mine.id}', 'pass')`,
          notes: `select public.inspection_set_internal_notes('${mine.id}', 'x')`,
        }[step];
        for (const who of CUSTOMER_USERS) await expect(sqlAs(getDb(), who, sql)).rejects.toMatchObject({ message: "forbidden" });
        await expect(sqlAs(getDb(), "anon", sql)).rejects.toMatchObject({ code: "42501" });
      });

      it("anon may not call any function through the port either", async () => {
        await expect(call(fnInspectionsList, { p_page: 1, p_limit: 5 }, anon)).rejects.toEqual(appError("forbidden"));
        await expect(call(fnMessagesUnread, {}, anon)).rejects.toEqual(appError("forbidden"));
        await expect(call(fnPortalStock, { p_page: 1, p_limit: 5 }, anon)).rejects.toEqual(appError("forbidden"));
        await expect(call(fnCustomersList, { p_page: 1, p_limit: 5 }, anon)).rejects.toEqual(appError("forbidden"));
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("customers", () => {
      it("staff list with search, active filter and pagination", async () => {
        const page = await call(fnCustomersList, { p_q: "acme", p_page: 1, p_limit: 10 }, as("chinese"));
        expect(page).toMatchObject({ page: 1, limit: 10, count: 1 });
        expect(page.data[0]).toMatchObject({ id: CUSTOMERS.acme, name: "ACME Trading", user_count: 1 });
        expect(page.data[0].open_inspections).toBeGreaterThan(0);
        const all = await call(fnCustomersList, { p_page: 1, p_limit: 1 }, as("admin"));
        expect(all.data).toHaveLength(1);
        expect(all.count).toBeGreaterThanOrEqual(2);
        await expect(call(fnCustomersList, { p_page: 1, p_limit: 101 }, as("admin"))).rejects.toEqual(appError("bad_request"));
      });

      it("get returns the company's users and counts; unknown id is not found", async () => {
        const got = await call(fnCustomerGet, { p_id: CUSTOMERS.bluesky }, as("manager"));
        expect(got.users.map((u) => u.email)).toEqual([USERS.bluesky.email]);
        expect(got.stats.shipments).toBeGreaterThan(0);
        expect(got.stats.inspections).toBeGreaterThan(0);
        await expect(call(fnCustomerGet, { p_id: "00000000-0000-4000-8000-000000000000" }, as("manager"))).rejects.toEqual(appError("not_found"));
      });

      it("create normalises the code and refuses a duplicate; update changes fields and refuses a taken code", async () => {
        const made = await call(fnCustomerCreate, { p_data: { code: "contract-1", name: " Contract One " } }, as("chinese"));
        expect(made).toMatchObject({ code: "CONTRACT-1", name: "Contract One", active: true, users: [] });
        await expect(call(fnCustomerCreate, { p_data: { code: "CONTRACT-1", name: "Again" } }, as("chinese"))).rejects.toEqual(appError("conflict"));
        const changed = await call(fnCustomerUpdate, { p_id: made.id, p_patch: { phone: "+82-10-0000-0000", active: false } }, as("korean"));
        expect(changed).toMatchObject({ phone: "+82-10-0000-0000", active: false, name: "Contract One" });
        await expect(call(fnCustomerUpdate, { p_id: made.id, p_patch: { code: "ACME" } }, as("korean"))).rejects.toEqual(appError("conflict"));
        await expect(call(fnCustomerUpdate, { p_id: "00000000-0000-4000-8000-000000000000", p_patch: { name: "x" } }, as("korean"))).rejects.toEqual(
          appError("not_found"),
        );
      });

      it("a bad code is a validation error, and nothing is written", async () => {
        const before = await getDb().query("select count(*)::int as n from public.customers");
        await expect(call(fnCustomerCreate, { p_data: { code: "x", name: "Bad" } }, as("admin"))).rejects.toEqual(appError("validation_failed"));
        expect(await getDb().query("select count(*)::int as n from public.customers")).toEqual(before);
      });

      it.each(CUSTOMER_USERS)("customer %s cannot call them through the port", async (who) => {
        await expect(call(fnCustomerGet, { p_id: CUSTOMERS[who] }, as(who))).rejects.toEqual(appError("forbidden"));
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("inspections: reading", () => {
      it.each(CUSTOMER_USERS)("customer %s lists only their company's applications, without staff-only fields", async (who) => {
        const page = await call(fnInspectionsList, { p_page: 1, p_limit: 100 }, as(who));
        const counts = await countBy(getDb(), "inspection_applications");
        expect(page.count).toBe(counts[CUSTOMERS[who]]);
        for (const row of page.data) {
          expect(row.customer_id).toBe(CUSTOMERS[who]);
          expect(row).not.toHaveProperty("internal_notes");
          expect(row).not.toHaveProperty("inspector_email");
          expect(row).not.toHaveProperty("applicant_email");
        }
        // Asking for the other company's applications finds none.
        const other = await call(fnInspectionsList, { p_customer_id: CUSTOMERS[OTHER[who]], p_page: 1, p_limit: 10 }, as(who));
        expect(other).toMatchObject({ count: 0, data: [] });
      });

      it("staff list every application, with filters", async () => {
        const all = await call(fnInspectionsList, { p_page: 1, p_limit: 100 }, as("chinese"));
        const counts = await countBy(getDb(), "inspection_applications");
        expect(all.count).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
        expect(all.data.some((r) => r.internal_notes)).toBe(true);
        const submitted = await call(fnInspectionsList, { p_status: "submitted", p_page: 1, p_limit: 100 }, as("admin"));
        expect(submitted.data.every((r) => r.status === "submitted")).toBe(true);
        const open = await call(fnInspectionsList, { p_open: true, p_page: 1, p_limit: 100 }, as("admin"));
        expect(open.data.every((r) => !["completed", "cancelled"].includes(r.status))).toBe(true);
        const blue = await call(fnInspectionsList, { p_customer_id: CUSTOMERS.bluesky, p_page: 1, p_limit: 100 }, as("admin"));
        expect(blue.data.every((r) => r.customer_id === CUSTOMERS.bluesky)).toBe(true);
        const byQ = await call(fnInspectionsList, { p_q: "Blue Sky Co", p_page: 1, p_limit: 100 }, as("admin"));
        expect(byQ.count).toBe(counts[CUSTOMERS.bluesky]);
      });

      it("an unknown status is a bad request", async () => {
        await expect(sqlAs(getDb(), "admin", "select public.inspections_list(p_status => 'lost')")).rejects.toMatchObject({ message: "bad_request" });
      });

      it("get: staff see internal notes, emails and the whole timeline; the customer sees none of those", async () => {
        const [row] = await getDb().query<{ id: string }>(
          "select id from public.inspection_applications where customer_id = $1 and internal_notes is not null and status = 'completed' limit 1",
          [CUSTOMERS.acme],
        );
        const staff = await call(fnInspectionGet, { p_id: row.id }, as("manager"));
        expect(staff.internal_notes).toBeTruthy();
        expect(staff.inspector_email).toBe(USERS.chinese.email);
        expect(staff.timeline.map((e) => e.action)).toEqual(["submitted", "scheduled", "started", "report_ready", "completed", "notes_updated"]);
        expect(staff.timeline[1]).toMatchObject({ actor_name: "Choi Korean Team", detail: expect.objectContaining({ inspector_name: "Wang Chinese Staff" }) });
        // The customer's question was answered but never marked read by staff; the customer read the answer.
        expect(staff.messages).toEqual({ count: 2, unread: 1 });

        const mine = await call(fnInspectionGet, { p_id: row.id }, as("acme"));
        expect(mine).not.toHaveProperty("internal_notes");
        expect(mine).not.toHaveProperty("inspector_email");
        expect(mine.inspector_name).toBe("Wang Chinese Staff");
        expect(mine.messages).toEqual({ count: 2, unread: 0 });
        expect(mine.timeline.map((e) => e.action)).toEqual(["submitted", "scheduled", "started", "report_ready", "completed"]);
        expect(JSON.stringify(mine)).not.toMatch(/@duly\.test|staff only/i);
      });

      it.each(CUSTOMER_USERS)("customer %s gets not_found for every application of the other company", async (who) => {
        const others = await getDb().query<{ id: string }>("select id from public.inspection_applications where customer_id = $1", [CUSTOMERS[OTHER[who]]]);
        expect(others.length).toBeGreaterThan(0);
        for (const { id } of others) {
          await expect(call(fnInspectionGet, { p_id: id }, as(who))).rejects.toEqual(appError("not_found"));
          await expect(call(fnMessagesList, { p_inspection_id: id }, as(who))).rejects.toEqual(appError("not_found"));
          await expect(call(fnMessageSend, { p_inspection_id: id, p_body: "hello?" }, as(who))).rejects.toEqual(appError("not_found"));
          await expect(call(fnMessagesMarkRead, { p_inspection_id: id }, as(who))).rejects.toEqual(appError("not_found"));
          await expect(call(fnInspectionCancel, { p_id: id }, as(who))).rejects.toEqual(appError("not_found"));
        }
      });

      it("the private builder, called directly by a customer asking for staff fields, still shows nothing more (RLS)", async () => {
        const [row] = await getDb().query<{ id: string }>("select id from public.inspection_applications where customer_id = $1 and internal_notes is not null limit 1", [
          CUSTOMERS.bluesky,
        ]);
        const [{ v }] = await sqlAs<{ v: Record<string, unknown> | null }>(getDb(), "acme", "select private.inspection_json($1, true, null) as v", [row.id]);
        expect(v).toBeNull();
        const [own] = await getDb().query<{ id: string }>("select id from public.inspection_applications where customer_id = $1 and internal_notes is not null limit 1", [
          CUSTOMERS.acme,
        ]);
        const [{ v: mine }] = await sqlAs<{ v: Record<string, unknown> }>(getDb(), "acme", "select private.inspection_json($1, true, null) as v", [own.id]);
        expect(mine.internal_notes).toBeNull();
        expect(mine.inspector_email).toBeNull();
      });

      // The list's page of ids and its rows' JSON (20261223000200): the page helper is security
      // definer, so it must apply the policy's rule itself; the JSON builder stays invoker.
      it("the list's page helper, called directly, keeps each customer to its own company and ignores what it is told", async () => {
        const [bluesky] = await getDb().query<{ product: string }>("select product from public.inspection_applications where customer_id = $1 limit 1", [CUSTOMERS.bluesky]);
        const ownIds = async (customer: string) =>
          (await getDb().query<{ id: string }>("select id from public.inspection_applications where customer_id = $1 order by created_at desc, number desc", [customer])).map((r) => r.id);
        const helper = (who: Parameters<typeof sqlAs>[1], customer: string | null, q: string | null, actor: string | null = null) =>
          sqlAs<{ ids: string[]; total: string }>(
            getDb(), who, "select ids, total::text from private.inspection_page(null, null, $1, null, $2, 1, 100, $3)", [customer, q, actor],
          ).then(([r]) => r);
        // Allowed: a customer gets its own company's inspections, newest first; the staff every company's.
        const acme = await helper("acme", null, null);
        expect(acme.ids).toEqual((await ownIds(CUSTOMERS.acme)).slice(0, 100));
        expect(Number(acme.total)).toBe((await ownIds(CUSTOMERS.acme)).length);
        const staff = await helper("chinese", CUSTOMERS.bluesky, null);
        expect(staff.ids).toEqual((await ownIds(CUSTOMERS.bluesky)).slice(0, 100));
        expect((await helper("chinese", null, bluesky.product)).ids.length).toBeGreaterThan(0);
        // Denied: the other company by filter, by search or by naming its user as the actor; a
        // deactivated user; anon may not call it at all.
        expect(await helper("acme", CUSTOMERS.bluesky, null)).toEqual({ ids: [], total: "0" });
        expect(await helper("acme", null, bluesky.product)).toEqual({ ids: [], total: "0" });
        expect((await helper("acme", null, null, USERS.bluesky.id)).ids).toEqual(acme.ids);
        const gone = await createUser(getDb().query, { role: "customer", customerId: CUSTOMERS.acme, active: false });
        expect(await helper(gone, null, null)).toEqual({ ids: [], total: "0" });
        await expect(helper("anon", null, null)).rejects.toMatchObject({ code: "42501" });
      });

      it("names, notes and rows for many inspections at once, called directly, show a customer nothing more than one at a time", async () => {
        const all = await getDb().query<{ id: string; customer_id: string }>("select id, customer_id from public.inspection_applications order by number");
        const ids = all.map((r) => r.id);
        // The names of both companies' users: the staff read all; a customer its own company's and the staff's.
        const names = async (who: DemoUser) =>
          (await sqlAs<{ id: string }>(getDb(), who, "select id from private.display_names($1) order by id", [[USERS.acme.id, USERS.bluesky.id, USERS.manager.id]])).map((r) => r.id);
        expect(await names("korean")).toEqual([USERS.acme.id, USERS.bluesky.id, USERS.manager.id].sort());
        expect(await names("acme")).toEqual([USERS.acme.id, USERS.manager.id].sort());
        // Internal notes: the staff's only.
        const notes = async (who: DemoUser) => (await sqlAs(getDb(), who, "select id from private.inspection_notes($1) where internal_notes is not null", [ids])).length;
        expect(await notes("manager")).toBeGreaterThan(0);
        expect(await notes("acme")).toBe(0);
        // Rows: a customer asking for every inspection with the staff's fields gets its own company's
        // rows only, without internal notes, and each is what inspection_get gives it, minus the timeline.
        const rows = await sqlAs<{ data: Record<string, unknown> }>(getDb(), "acme", "select data from private.inspections_json($1, true, null, false) order by ord", [ids]);
        expect(rows.map((r) => r.data.id)).toEqual(all.filter((r) => r.customer_id === CUSTOMERS.acme).map((r) => r.id));
        expect(rows.every((r) => r.data.internal_notes === null)).toBe(true);
        for (const who of ["manager", "acme"] as const) {
          const listed = await call(fnInspectionsList, { p_page: 1, p_limit: 100 }, as(who));
          expect(listed.data.length).toBeGreaterThan(0);
          for (const row of listed.data) {
            const { timeline, ...one } = await call(fnInspectionGet, { p_id: row.id }, as(who));
            expect(Array.isArray(timeline)).toBe(true);
            expect(row).toEqual(one);
          }
        }
      });

      it("names: a customer cannot look up the name of another company's user", async () => {
        const [{ n }] = await sqlAs<{ n: string | null }>(getDb(), "acme", "select private.staff_display_name($1) as n", [USERS.bluesky.id]);
        expect(n).toBeNull();
        const [{ s }] = await sqlAs<{ s: string | null }>(getDb(), "acme", "select private.staff_display_name($1) as s", [USERS.manager.id]);
        expect(s).toBe("Park Manager");
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("inspections: applying", () => {
      it("a customer applies for their own company; the applicant is them and the timeline starts", async () => {
        const made = await newInspection("bluesky");
        expect(made).toMatchObject({ customer_id: CUSTOMERS.bluesky, applicant_id: USERS.bluesky.id, status: "submitted", result: "pending" });
        expect(made.number).toMatch(/^INS-\d{4}-\d{6}$/);
        expect(made.timeline).toEqual([expect.objectContaining({ action: "submitted", actor_name: "Blue Sky Buyer" })]);
      });

      it("a customer naming their own company is fine; naming another is not_found and writes nothing", async () => {
        await expect(newInspection("acme", { customer_id: CUSTOMERS.acme })).resolves.toMatchObject({ customer_id: CUSTOMERS.acme });
        const before = await countBy(getDb(), "inspection_applications");
        await expect(newInspection("acme", { customer_id: CUSTOMERS.bluesky })).rejects.toEqual(appError("not_found"));
        expect(await countBy(getDb(), "inspection_applications")).toEqual(before);
      });

      it("staff apply for any active customer, and must name one", async () => {
        await expect(newInspection("korean", { customer_id: CUSTOMERS.bluesky })).resolves.toMatchObject({ customer_id: CUSTOMERS.bluesky, applicant_id: USERS.korean.id });
        await expect(newInspection("korean")).rejects.toEqual(appError("validation_failed"));
        const inactive = await createCustomer(getDb().query);
        await getDb().query("update public.customers set active = false where id = $1", [inactive.id]);
        await expect(newInspection("korean", { customer_id: inactive.id })).rejects.toEqual(appError("validation_failed"));
      });

      it.each([
        ["no product", { product: " " }],
        ["an unknown type", { inspection_type: "x-ray" }],
        ["no factory", { factory_name: "" }],
        ["a negative quantity", { quantity: -1 }],
        ["a bad date", { requested_date: "2026-02-31" }],
      ])("%s is refused as validation_failed", async (_label, extra) => {
        await expect(newInspection("acme", extra)).rejects.toEqual(appError("validation_failed"));
      });

      it("a new customer user of a company sees that company's applications only", async () => {
        const colleague = await createUser(getDb().query, { role: "customer", customerId: CUSTOMERS.bluesky });
        const page = await call(fnInspectionsList, { p_page: 1, p_limit: 100 }, callerOf(colleague));
        expect(page.data.every((r) => r.customer_id === CUSTOMERS.bluesky)).toBe(true);
        expect(page.count).toBeGreaterThan(0);
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("inspections: the workflow, each rule both ways", () => {
      it("submitted → scheduled → in_progress → report_ready → completed, with who and when", async () => {
        const made = await newInspection("acme");
        const s = await call(fnInspectionSchedule, { p_id: made.id, p_scheduled_date: TODAY, p_inspector_id: USERS.chinese.id }, as("korean"));
        expect(s).toMatchObject({ status: "scheduled", scheduled_date: TODAY, inspector_id: USERS.chinese.id });
        expect(s.scheduled_at).not.toBeNull();
        const r = await call(fnInspectionSchedule, { p_id: made.id, p_scheduled_date: TODAY, p_inspector_id: USERS.manager.id }, as("korean"));
        expect(r).toMatchObject({ status: "scheduled", inspector_name: "Park Manager" });
        const started = await call(fnInspectionStart, { p_id: made.id }, as("chinese"));
        expect(started.status).toBe("in_progress");
        const ready = await call(fnInspectionReport, { p_id: made.id, p_result: "fail" }, as("chinese"));
        expect(ready).toMatchObject({ status: "report_ready", result: "fail" });
        const done = await call(fnInspectionComplete, { p_id: made.id, p_result: "pass" }, as("manager"));
        expect(done).toMatchObject({ status: "completed", result: "pass" });
        expect(done.completed_at).not.toBeNull();
        expect(done.timeline.map((e) => [e.action, e.actor_name])).toEqual([
          ["submitted", "ACME Buyer"],
          ["scheduled", "Choi Korean Team"],
          ["rescheduled", "Choi Korean Team"],
          ["started", "Wang Chinese Staff"],
          ["report_ready", "Wang Chinese Staff"],
          ["completed", "Park Manager"],
        ]);
      });

      it("schedule: only from submitted or scheduled", async () => {
        const ip = await inProgress();
        await expect(call(fnInspectionSchedule, { p_id: ip.id, p_scheduled_date: TODAY, p_inspector_id: USERS.chinese.id }, as("korean"))).rejects.toEqual(
          appError("invalid_state"),
        );
      });

      it("schedule: the inspector must be active staff", async () => {
        const made = await newInspection("acme");
        const former = await createUser(getDb().query, { role: "chinese_staff", active: false });
        for (const inspector of [USERS.acme.id, former.id, "00000000-0000-4000-8000-000000000000"]) {
          await expect(call(fnInspectionSchedule, { p_id: made.id, p_scheduled_date: TODAY, p_inspector_id: inspector }, as("korean"))).rejects.toEqual(
            appError("validation_failed"),
          );
        }
        expect((await call(fnInspectionGet, { p_id: made.id }, as("korean"))).status).toBe("submitted");
      });

      it("start: only from scheduled", async () => {
        const made = await newInspection("acme");
        await expect(call(fnInspectionStart, { p_id: made.id }, as("chinese"))).rejects.toEqual(appError("invalid_state"));
        const s = await scheduled();
        await expect(call(fnInspectionStart, { p_id: s.id }, as("chinese"))).resolves.toMatchObject({ status: "in_progress" });
        await expect(call(fnInspectionStart, { p_id: s.id }, as("chinese"))).rejects.toEqual(appError("invalid_state"));
      });

      it("report: only from in_progress", async () => {
        const s = await scheduled();
        await expect(call(fnInspectionReport, { p_id: s.id }, as("chinese"))).rejects.toEqual(appError("invalid_state"));
        const ip = await inProgress();
        await expect(call(fnInspectionReport, { p_id: ip.id }, as("chinese"))).resolves.toMatchObject({ status: "report_ready", result: "pending" });
      });

      it("complete: only from report_ready, and only with pass, fail or pending", async () => {
        const ip = await inProgress();
        await expect(call(fnInspectionComplete, { p_id: ip.id, p_result: "pass" }, as("manager"))).rejects.toEqual(appError("invalid_state"));
        const rr = await reportReady();
        await expect(sqlAs(getDb(), "manager", `select public.inspection_complete('${rr.id}', 'maybe')`)).rejects.toMatchObject({ message: "validation_failed" });
        await expect(call(fnInspectionComplete, { p_id: rr.id, p_result: "pending" }, as("manager"))).resolves.toMatchObject({ status: "completed", result: "pending" });
        await expect(call(fnInspectionComplete, { p_id: rr.id, p_result: "pass" }, as("manager"))).rejects.toEqual(appError("invalid_state"));
      });

      it("an unknown id is not_found for every step", async () => {
        const nobody = "00000000-0000-4000-8000-000000000000";
        await expect(call(fnInspectionStart, { p_id: nobody }, as("chinese"))).rejects.toEqual(appError("not_found"));
        await expect(call(fnInspectionGet, { p_id: nobody }, as("chinese"))).rejects.toEqual(appError("not_found"));
        await expect(call(fnInspectionCancel, { p_id: nobody }, as("acme"))).rejects.toEqual(appError("not_found"));
      });

      it("cancel by a customer: while submitted only", async () => {
        const made = await newInspection("acme");
        const cancelled = await call(fnInspectionCancel, { p_id: made.id, p_reason: "Changed plans" }, as("acme"));
        expect(cancelled).toMatchObject({ status: "cancelled", cancel_reason: "Changed plans", cancelled_by_name: "ACME Buyer" });
        await expect(call(fnInspectionCancel, { p_id: made.id }, as("acme"))).rejects.toEqual(appError("invalid_state"));
        const s = await scheduled("acme");
        await expect(call(fnInspectionCancel, { p_id: s.id }, as("acme"))).rejects.toEqual(appError("invalid_state"));
      });

      it("cancel by staff: until completed", async () => {
        const rr = await reportReady("bluesky");
        await expect(call(fnInspectionCancel, { p_id: rr.id, p_reason: "Factory closed" }, as("chinese"))).resolves.toMatchObject({ status: "cancelled" });
        const done = await reportReady("bluesky");
        await call(fnInspectionComplete, { p_id: done.id, p_result: "pass" }, as("manager"));
        await expect(call(fnInspectionCancel, { p_id: done.id }, as("chinese"))).rejects.toEqual(appError("invalid_state"));
        await expect(call(fnInspectionCancel, { p_id: rr.id }, as("chinese"))).rejects.toEqual(appError("invalid_state"));
      });

      it("no step moves a cancelled application", async () => {
        const made = await newInspection("acme");
        await call(fnInspectionCancel, { p_id: made.id }, as("acme"));
        await expect(call(fnInspectionSchedule, { p_id: made.id, p_scheduled_date: TODAY, p_inspector_id: USERS.chinese.id }, as("korean"))).rejects.toEqual(
          appError("invalid_state"),
        );
        await expect(call(fnInspectionStart, { p_id: made.id }, as("korean"))).rejects.toEqual(appError("invalid_state"));
      });

      it("internal notes: staff set them (a staff-only event); customers never see either", async () => {
        const made = await newInspection("acme");
        const noted = await call(fnInspectionSetInternalNotes, { p_id: made.id, p_internal_notes: "Secret margin 12%" }, as("chinese"));
        expect(noted.internal_notes).toBe("Secret margin 12%");
        expect(noted.timeline.at(-1)).toMatchObject({ action: "notes_updated", staff_only: true });
        const mine = await call(fnInspectionGet, { p_id: made.id }, as("acme"));
        expect(JSON.stringify(mine)).not.toContain("Secret margin");
        expect(mine.timeline.map((e) => e.action)).toEqual(["submitted"]);
        await expect(call(fnInspectionSetInternalNotes, { p_id: made.id, p_internal_notes: "mine" }, as("acme"))).rejects.toEqual(appError("forbidden"));
        const cleared = await call(fnInspectionSetInternalNotes, { p_id: made.id, p_internal_notes: " " }, as("chinese"));
        expect(cleared.internal_notes).toBeNull();
      });

      it("through service_role the actor named is recorded in the timeline and the audit log", async () => {
        const made = await call(fnInspectionCreate, { p_data: application(), p_actor: USERS.acme.id }, service);
        expect(made.customer_id).toBe(CUSTOMERS.acme);
        const s = await call(fnInspectionSchedule, { p_id: made.id, p_scheduled_date: TODAY, p_inspector_id: USERS.chinese.id, p_actor: USERS.manager.id }, service);
        expect(s.timeline.at(-1)).toMatchObject({ action: "scheduled", actor_id: USERS.manager.id });
        const audit = await getDb().query("select actor_id from public.audit_log where table_name = 'inspection_applications' and row_id = $1 and action = 'update'", [made.id]);
        expect(audit).toEqual([{ actor_id: USERS.manager.id }]);
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("messages", () => {
      it("a customer and staff write in a thread; each side marks only its own read state", async () => {
        const made = await newInspection("bluesky");
        const sent = await call(fnMessageSend, { p_inspection_id: made.id, p_body: " When can you come? " }, as("bluesky"));
        expect(sent).toMatchObject({ body: "When can you come?", from_staff: false, mine: true, sender_name: "Blue Sky Buyer" });
        expect(sent).not.toHaveProperty("sender_id");

        const staffBefore = await call(fnMessagesUnread, {}, as("korean"));
        expect(staffBefore.inspections.find((r) => r.inspection_id === made.id)?.unread).toBe(1);
        const reply = await call(fnMessageSend, { p_inspection_id: made.id, p_body: "Next Tuesday." }, as("korean"));
        expect(reply).toMatchObject({ from_staff: true, sender_id: USERS.korean.id, sender_name: "Choi Korean Team" });

        const customerUnread = await call(fnMessagesUnread, {}, as("bluesky"));
        expect(customerUnread.inspections.find((r) => r.inspection_id === made.id)?.unread).toBe(1);
        expect((await call(fnInspectionGet, { p_id: made.id }, as("bluesky"))).messages).toEqual({ count: 2, unread: 1 });

        expect(await call(fnMessagesMarkRead, { p_inspection_id: made.id }, as("bluesky"))).toEqual({ inspection_id: made.id, marked: 1 });
        expect((await call(fnMessagesUnread, {}, as("bluesky"))).inspections.find((r) => r.inspection_id === made.id)).toBeUndefined();
        // The customer's read mark is not the staff's.
        expect((await call(fnMessagesUnread, {}, as("korean"))).inspections.find((r) => r.inspection_id === made.id)?.unread).toBe(1);
        expect(await call(fnMessagesMarkRead, { p_inspection_id: made.id }, as("manager"))).toEqual({ inspection_id: made.id, marked: 1 });
        expect((await call(fnMessagesUnread, {}, as("korean"))).inspections.find((r) => r.inspection_id === made.id)).toBeUndefined();

        const thread = await call(fnMessagesList, { p_inspection_id: made.id }, as("bluesky"));
        expect(thread.data.map((m) => [m.body, m.mine])).toEqual([
          ["When can you come?", true],
          ["Next Tuesday.", false],
        ]);
        expect(JSON.stringify(thread)).not.toMatch(/@duly\.test/);
      });

      // A thread's JSON in one statement (20261223000400).
      it("a thread lists its latest messages oldest first, each as it was sent, senders named as each side may see them", async () => {
        const made = await newInspection("acme");
        const sent = [];
        for (const [who, body] of [["acme", "one"], ["korean", "two"], ["acme", "three"], ["manager", "four"]] as const) {
          sent.push(await call(fnMessageSend, { p_inspection_id: made.id, p_body: body }, as(who)));
        }
        const staff = await call(fnMessagesList, { p_inspection_id: made.id }, as("chinese"));
        expect(staff.count).toBe(4);
        expect(staff.data.map((m) => [m.body, m.sender_name, m.mine, m.sender_id])).toEqual([
          ["one", "ACME Buyer", false, USERS.acme.id],
          ["two", "Choi Korean Team", false, USERS.korean.id],
          ["three", "ACME Buyer", false, USERS.acme.id],
          ["four", "Park Manager", false, USERS.manager.id],
        ]);
        // The customer's view: the same messages as the customer was answered when it sent its own.
        const mine = await call(fnMessagesList, { p_inspection_id: made.id }, as("acme"));
        expect(mine.data[0]).toEqual(sent[0]);
        expect(mine.data.map((m) => [m.body, m.sender_name, m.mine])).toEqual([
          ["one", "ACME Buyer", true], ["two", "Choi Korean Team", false], ["three", "ACME Buyer", true], ["four", "Park Manager", false],
        ]);
        expect(mine.data.every((m) => !("sender_id" in m))).toBe(true);
        // A limit keeps the latest, still oldest first.
        expect((await call(fnMessagesList, { p_inspection_id: made.id, p_limit: 2 }, as("acme"))).data.map((m) => m.body)).toEqual(["three", "four"]);
        // Called directly with every message id and the staff's fields asked, a customer gets its own company's messages only.
        const ids = (await getDb().query<{ id: string }>("select id from public.messages")).map((r) => r.id);
        const own = (await getDb().query<{ id: string }>("select id from public.messages where customer_id = $1 order by id", [CUSTOMERS.acme])).map((r) => r.id);
        const direct = await sqlAs<{ id: string }>(getDb(), "acme", "select data ->> 'id' as id from private.messages_json($1, true, null) order by 1", [ids]);
        expect(direct.map((r) => r.id)).toEqual(own);
        await expect(sqlAs(getDb(), "anon", "select private.messages_json($1, true, null)", [ids])).rejects.toMatchObject({ code: "42501" });
      });

      it("unread totals: each customer counts only their company's", async () => {
        const acme = await call(fnMessagesUnread, {}, as("acme"));
        const [{ n }] = await getDb().query<{ n: number }>(
          "select count(*)::int as n from public.messages where customer_id = $1 and from_staff and read_by_customer_at is null",
          [CUSTOMERS.acme],
        );
        expect(acme.total).toBe(n);
      });

      it("an empty or oversized body is refused; staff write in any thread", async () => {
        const made = await newInspection("acme");
        await expect(call(fnMessageSend, { p_inspection_id: made.id, p_body: "   " }, as("acme"))).rejects.toEqual(appError("validation_failed"));
        await expect(call(fnMessageSend, { p_inspection_id: made.id, p_body: "x".repeat(4001) }, as("acme"))).rejects.toEqual(appError("validation_failed"));
        await expect(call(fnMessageSend, { p_inspection_id: made.id, p_body: "Staff here" }, as("chinese"))).resolves.toMatchObject({ from_staff: true });
      });

      it("a new message is announced (NOTIFY payload carries ids only)", async () => {
        const [{ n }] = await getDb().query<{ n: number }>(
          "select count(*)::int as n from pg_trigger where tgname = 'messages_notify' and tgrelid = 'public.messages'::regclass",
        );
        expect(n).toBe(1);
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("portal", () => {
      // A page of shipments as JSON in one statement (20261223000500).
      it.each(CUSTOMER_USERS)("customer %s: each shipment on a page is what opening it shows; the helpers called directly give no other company's", async (who) => {
        const page = await call(fnPortalShipments, { p_page: 1, p_limit: 100 }, as(who));
        expect(page.data.length).toBeGreaterThan(0);
        for (const row of page.data) expect(row).toEqual(await call(fnPortalShipmentGet, { p_id: row.id }, as(who)));
        const flows = await getDb().query<{ id: string; customer_id: string | null }>("select id, customer_id from public.flows where kind = 'outbound' order by id");
        const ids = flows.map((f) => f.id);
        const own = flows.filter((f) => f.customer_id === CUSTOMERS[who]).map((f) => f.id);
        expect(own.length).toBeLessThan(ids.length);
        const lines = await sqlAs<{ flow_id: string }>(getDb(), who, "select distinct flow_id from private.shipments_lines($1, null) order by 1", [ids]);
        expect(lines.length).toBeGreaterThan(0);
        expect(lines.every((l) => own.includes(l.flow_id))).toBe(true);
        // Naming the other company's buyer as the actor changes nothing: only the service role may.
        const other = USERS[OTHER[who]].id;
        expect(await sqlAs(getDb(), who, "select distinct flow_id from private.shipments_lines($1, $2) order by 1", [ids, other])).toEqual(lines);
        const json = await sqlAs<{ id: string }>(getDb(), who, "select data ->> 'id' as id from private.shipments_json($1, null) order by 1", [ids]);
        expect(json.every((r) => own.includes(r.id))).toBe(true);
        await expect(sqlAs(getDb(), "anon", "select private.shipments_lines($1, null)", [ids])).rejects.toMatchObject({ code: "42501" });
      });

      it.each(CUSTOMER_USERS)("customer %s sees their own outbound flows (no drafts), with lines and no costs", async (who) => {
        const page = await call(fnPortalShipments, { p_page: 1, p_limit: 100 }, as(who));
        const [{ n }] = await getDb().query<{ n: number }>(
          "select count(*)::int as n from public.flows where kind = 'outbound' and customer_id = $1 and status <> 'draft'",
          [CUSTOMERS[who]],
        );
        expect(page.count).toBe(n);
        expect(n).toBeGreaterThan(0);
        expect(page.data[0].lines.length).toBeGreaterThan(0);
        expect(JSON.stringify(page)).not.toMatch(/unit_cost|partner|note/);
        for (const s of page.data) await expect(call(fnPortalShipmentGet, { p_id: s.id }, as(who))).resolves.toMatchObject({ id: s.id });
      });

      it.each(CUSTOMER_USERS)("customer %s gets not_found for any other flow", async (who) => {
        const others = await getDb().query<{ id: string }>(
          "select id from public.flows where customer_id is distinct from $1 or kind <> 'outbound' or status = 'draft'",
          [CUSTOMERS[who]],
        );
        for (const { id } of others) await expect(call(fnPortalShipmentGet, { p_id: id }, as(who))).rejects.toEqual(appError("not_found"));
      });

      it.each(CUSTOMER_USERS)("customer %s reads a committed shipment's lines (ledger rows) through the portal, and no one else's", async (who) => {
        const [own] = await getDb().query<{ id: string }>(
          "select id from public.flows where kind = 'outbound' and status = 'committed' and customer_id = $1 order by created_at limit 1",
          [CUSTOMERS[who]],
        );
        const [other] = await getDb().query<{ id: string }>(
          "select id from public.flows where kind = 'outbound' and status = 'committed' and customer_id = $1 order by created_at limit 1",
          [CUSTOMERS[OTHER[who]]],
        );
        const lines = async (id: string) =>
          (await getDb().query<{ line_no: number; qty: string }>("select line_no, qty::text from private.all_flow_lines where flow_id = $1 order by line_no", [id]))
            .map((l) => ({ line_no: l.line_no, qty: Number(l.qty) }));
        const expected = await lines(own.id);
        expect(expected.length).toBeGreaterThan(0);
        expect(await getDb().query("select 1 from public.flow_lines where flow_id = $1", [own.id])).toEqual([]);
        const shown = await call(fnPortalShipmentGet, { p_id: own.id }, as(who));
        expect(shown.lines.map((l) => ({ line_no: l.line_no, qty: Number(l.qty) }))).toEqual(expected);

        // private.shipments_lines keeps the rule itself: called directly, the caller's own shipments
        // only; a p_actor is trusted from the service role alone.
        const direct = (who2: DemoUser | "service_role", id: string, actor: string | null) =>
          withRole(getDb(), who2, async (q) =>
            (await q<{ line_no: number }>("select line_no from private.shipments_lines(array[$1]::uuid[], $2) order by line_no", [id, actor])).map((r) => r.line_no),
          );
        const numbers = expected.map((l) => l.line_no);
        expect(await direct(who, own.id, null)).toEqual(numbers);
        expect(await direct(who, other.id, null)).toEqual([]);
        expect(await direct(who, other.id, USERS[OTHER[who]].id)).toEqual([]);
        expect(await direct(OTHER[who], own.id, USERS[who].id)).toEqual([]);
        expect(await direct("korean", own.id, null)).toEqual([]);
        expect(await direct("service_role", own.id, USERS[who].id)).toEqual(numbers);
        expect(await direct("service_role", own.id, USERS[OTHER[who]].id)).toEqual([]);
      });

      it("a draft outbound for the customer stays hidden", async () => {
        const found = await withRole(getDb(), "service_role", async (q) => {
          const [item] = await q<{ id: string }>("select id from public.items where customer_id = $1 limit 1", [CUSTOMERS.acme]);
          const [{ f }] = await q<{ f: { id: string; status: string } }>(
            `select public.flow_create('outbound', jsonb_build_array(jsonb_build_object('item_id', $1::uuid, 'qty', 1)),
               '10000000-0000-4000-8000-000000000001', null, $2, null, null, null, $3) as f`,
            [item.id, CUSTOMERS.acme, USERS.korean.id],
          );
          expect(f.status).toBe("draft");
          await become(q, "acme");
          return attempt(q, "select public.portal_shipment_get($1)", [f.id]);
        });
        expect(found).toMatchObject({ ok: false, error: { message: "not_found" } });
      });

      it.each(CUSTOMER_USERS)("customer %s sees the stock of the items they own, and only those", async (who) => {
        const page = await call(fnPortalStock, { p_page: 1, p_limit: 100 }, as(who));
        const own = await getDb().query<{ sku: string }>("select sku from public.items where customer_id = $1 and active order by sku", [CUSTOMERS[who]]);
        expect(page.data.map((r) => r.sku)).toEqual(own.map((r) => r.sku));
        expect(page.data.some((r) => r.on_hand > 0)).toBe(true);
        expect(JSON.stringify(page)).not.toMatch(/unit_cost|reorder_point/);
      });

      it("the portal answers a customer the same through service_role acting for them", async () => {
        const direct = await call(fnPortalStock, { p_page: 1, p_limit: 100 }, as("bluesky"));
        const viaServer = await call(fnPortalStock, { p_page: 1, p_limit: 100, p_actor: USERS.bluesky.id }, service);
        expect(viaServer).toEqual(direct);
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("catalog", () => {
      // The foundation's catalog rules, over everything these migrations added.
      it.each(Object.keys(catalogChecks))("%s", async (name) => {
        expect(await catalogChecks[name](getDb().query)).toEqual([]);
      });

      it("the timeline has exactly a select policy; applications and messages no write policies left", async () => {
        const rows = await getDb().query(
          `select tablename as table, cmd from pg_policies
           where schemaname = 'public' and tablename in ('inspection_applications', 'messages', 'inspection_events') order by 1, 2`,
        );
        expect(rows).toEqual([
          { table: "inspection_applications", cmd: "SELECT" },
          { table: "inspection_events", cmd: "SELECT" },
          { table: "messages", cmd: "SELECT" },
        ]);
      });

      it("the write functions accept an Idempotency-Key", async () => {
        const rows = await getDb().query<{ name: string }>("select name from private.idempotent_functions where name like 'inspection%' or name like 'message%' or name like 'customer%' order by 1");
        expect(rows.map((r) => r.name)).toEqual([
          "customer_create",
          "customer_update",
          "inspection_cancel",
          "inspection_complete",
          "inspection_create",
          "inspection_report",
          "inspection_schedule",
          "inspection_set_internal_notes",
          "inspection_start",
          "message_send",
          "messages_mark_read",
        ]);
      });
    });
  });
}

describeInspectionContract(contractDb);
