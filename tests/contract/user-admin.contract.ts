import { describe, expect, it } from "vitest";
import { anon, call, service } from "@/lib/db";
import { fnAuditList, fnAuditTables } from "@/lib/data/audit";
import { fnUserCreatePrepare, fnUserCustomerOptions, fnUserGet, fnUsersList, fnUserUpdate } from "@/lib/data/users";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, DEMO_PASSWORD, USERS, type DemoUser } from "../helpers/demo";
import { callerOf, createCustomer, createUser } from "../helpers/fixtures";
import { attempt, becomeSuperuser, sqlAs, withRole } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// The user administration migration's database contract, run unchanged on PGlite and
// real Postgres: every function admin-only, checked both ways for every role, as the
// port calls it and as plain SQL; account creation in the shim; who the audit log names.

const NOT_ADMINS: DemoUser[] = ["manager", "korean", "chinese", "acme", "bluesky"];
const appError = (code: string) => expect.objectContaining({ name: "AppError", code });

/** Each function with arguments that succeed for the admin, as SQL and through the port. */
const FUNCTIONS: { name: string; sql: string; port: (caller: Parameters<typeof call>[2]) => Promise<unknown> }[] = [
  { name: "users_list", sql: "select public.users_list()", port: (c) => call(fnUsersList, { p_page: 1, p_limit: 5 }, c) },
  { name: "user_get", sql: `select public.user_get(p_id => '${USERS.korean.id}')`, port: (c) => call(fnUserGet, { p_id: USERS.korean.id }, c) },
  {
    name: "user_create_prepare",
    sql: "select public.user_create_prepare(p_email => 'prep@contract.test', p_role => 'manager')",
    port: (c) => call(fnUserCreatePrepare, { p_email: "prep@contract.test", p_role: "manager" }, c),
  },
  {
    name: "user_update",
    sql: `select public.user_update(p_user_id => '${USERS.korean.id}', p_display_name => 'Choi Korean Team')`,
    port: (c) => call(fnUserUpdate, { p_user_id: USERS.korean.id, p_display_name: "Choi Korean Team" }, c),
  },
  { name: "user_customer_options", sql: "select public.user_customer_options()", port: (c) => call(fnUserCustomerOptions, {}, c) },
  { name: "audit_list", sql: "select public.audit_list()", port: (c) => call(fnAuditList, { p_page: 1, p_limit: 5 }, c) },
  { name: "audit_tables", sql: "select public.audit_tables()", port: (c) => call(fnAuditTables, {}, c) },
];

function describeUserAdminContract(makeDb: MakeDb) {
  describe("user administration: database contract", () => {
    const getDb = databaseForSuite(makeDb);

    describe.each(FUNCTIONS)("$name()", ({ sql, port }) => {
      it("the admin may call it", async () => {
        await expect(port(as("admin"))).resolves.toBeDefined();
        await expect(sqlAs(getDb(), "admin", sql)).resolves.toHaveLength(1);
      });

      it.each(NOT_ADMINS)("%s is refused (forbidden)", async (who) => {
        await expect(port(as(who))).rejects.toEqual(appError("forbidden"));
        await expect(sqlAs(getDb(), who, sql)).rejects.toMatchObject({ code: "P0001", message: "forbidden" });
      });

      it("anon may not execute it", async () => {
        await expect(port(anon)).rejects.toEqual(appError("forbidden"));
        await expect(sqlAs(getDb(), "anon", sql)).rejects.toMatchObject({ code: "42501" });
      });

      it("a customer naming the admin as p_actor is still refused", async () => {
        await expect(sqlAs(getDb(), "acme", sql.replace(/\)$/, `${sql.endsWith("()") ? "" : ", "}p_actor => '${USERS.admin.id}')`))).rejects.toMatchObject({
          message: "forbidden",
        });
      });

      it("service_role acts for the admin it names, for nobody else", async () => {
        const withActor = (id: string) => sql.replace(/\)$/, `${sql.endsWith("()") ? "" : ", "}p_actor => '${id}')`);
        await expect(sqlAs(getDb(), "service_role", withActor(USERS.admin.id))).resolves.toHaveLength(1);
        await expect(sqlAs(getDb(), "service_role", withActor(USERS.manager.id))).rejects.toMatchObject({ message: "forbidden" });
        await expect(sqlAs(getDb(), "service_role", sql)).rejects.toMatchObject({ message: "unauthorized" });
      });

      it("a deactivated admin is refused", async () => {
        const former = await createUser(getDb().query, { role: "admin", active: false });
        await expect(port(callerOf(former))).rejects.toEqual(appError("unauthorized"));
      });
    });

    it("no function of this migration is executable by anon or PUBLIC, and the helpers by nobody but their owner", async () => {
      const rows = await getDb().query<{ fn: string; grantee: string }>(
        `select p.oid::regprocedure::text as fn, r.rolname as grantee
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         cross join (values ('anon'), ('public'), ('authenticated')) r (rolname)
         where ((n.nspname = 'public' and p.proname in ('users_list', 'user_get', 'user_create_prepare', 'user_update',
                   'user_customer_options', 'audit_list', 'audit_tables') and r.rolname <> 'authenticated')
             or (n.nspname = 'private' and p.proname in ('user_row', 'attribute_new_user', 'fail_field', 'check_customer_link'))
             or (n.nspname = 'auth' and p.proname = 'admin_create_user'))
           and has_function_privilege(r.rolname, p.oid, 'EXECUTE')`,
      );
      expect(rows).toEqual([]);
    });

    it("user_row (which reads auth.users) cannot be called from a session", async () => {
      await expect(sqlAs(getDb(), "admin", `select private.user_row('${USERS.admin.id}')`)).rejects.toMatchObject({ code: "42501" });
    });

    it("user_create_prepare normalises the request and writes nothing", async () => {
      const before = await getDb().query<{ n: number }>("select count(*)::int as n from public.profiles");
      const out = await call(fnUserCreatePrepare, { p_email: "  New.Person@Contract.TEST ", p_role: "chinese_staff" }, as("admin"));
      expect(out).toEqual({ email: "new.person@contract.test", display_name: "new.person", role: "chinese_staff", customer_id: null, locale: "zh", created_by: USERS.admin.id });
      expect(await getDb().query("select count(*)::int as n from public.profiles")).toEqual(before);
    });

    it.each([
      ["a taken email, in another case", { p_email: "ADMIN@duly.test", p_role: "manager" }, "conflict"],
      ["a malformed email", { p_email: "nobody", p_role: "manager" }, "validation_failed"],
      ["a customer without a company", { p_email: "c1@contract.test", p_role: "customer" }, "validation_failed"],
      ["staff with a company", { p_email: "c2@contract.test", p_role: "manager", p_customer_id: CUSTOMERS.acme }, "validation_failed"],
    ] as const)("user_create_prepare refuses %s", async (_label, args, code) => {
      await expect(call(fnUserCreatePrepare, args, as("admin"))).rejects.toEqual(appError(code));
    });

    describe("auth.admin_create_user() (the shim's stand-in for the Auth admin API)", () => {
      const create = (email: string, meta: Record<string, unknown>, extra = "") =>
        `select auth.admin_create_user(p_email => '${email}', p_password => 'contract-pass-1',
           p_app_metadata => '${JSON.stringify(meta)}'::jsonb, p_user_metadata => '{"display_name": "Contract User"}'::jsonb${extra}) as u`;

      it("only the server (service_role) may call it", async () => {
        for (const who of ["anon", "admin", "acme"] as const) {
          await expect(sqlAs(getDb(), who, create("x@contract.test", {}))).rejects.toMatchObject({ code: "42501" });
        }
      });

      it("makes the account, its email identity and the profile; the password is hashed and signs in", async () => {
        const [{ u }] = await sqlAs<{ u: { id: string; email: string } }>(getDb(), "service_role", create("Made@Contract.test", {
          role: "customer",
          customer_id: CUSTOMERS.bluesky,
          locale: "en",
          created_by: USERS.admin.id,
        }));
        expect(u.email).toBe("made@contract.test");
        // sqlAs rolls back; do it for real to look at what it left.
        await withRole(getDb(), "service_role", async (q) => {
          const [{ u: made }] = await q<{ u: { id: string } }>(create("kept@contract.test", { role: "customer", customer_id: CUSTOMERS.bluesky, locale: "en", created_by: USERS.admin.id }));
          await becomeSuperuser(q);
          const [user] = await q<{ encrypted_password: string; email_confirmed_at: string | null; raw_app_meta_data: Record<string, unknown> }>(
            "select encrypted_password, email_confirmed_at, raw_app_meta_data from auth.users where id = $1",
            [made.id],
          );
          expect(user.encrypted_password).toMatch(/^\$2[ab]\$10\$/);
          expect(user.email_confirmed_at).not.toBeNull();
          expect(user.raw_app_meta_data).toMatchObject({ provider: "email", role: "customer" });
          expect(await q("select provider, provider_id from auth.identities where user_id = $1", [made.id])).toEqual([{ provider: "email", provider_id: made.id }]);
          expect(await q("select role, customer_id, locale, display_name, active from public.profiles where id = $1", [made.id])).toEqual([
            { role: "customer", customer_id: CUSTOMERS.bluesky, locale: "en", display_name: "Contract User", active: true },
          ]);
          const [{ s }] = await q<{ s: { id: string } | null }>("select auth.sign_in_with_password('KEPT@contract.test', 'contract-pass-1') as s");
          expect(s?.id).toBe(made.id);
          const [{ s: wrong }] = await q<{ s: unknown }>("select auth.sign_in_with_password('kept@contract.test', 'contract-pass-2') as s");
          expect(wrong).toBeNull();
          // The audit row of the new profile names the admin who created it.
          expect(await q("select actor_id, action from public.audit_log where table_name = 'profiles' and row_id = $1", [made.id])).toEqual([
            { actor_id: USERS.admin.id, action: "insert" },
          ]);
        });
      });

      it("refuses a second account with the same email in any case (unique violation)", async () => {
        await expect(sqlAs(getDb(), "service_role", create("MANAGER@duly.test", { role: "manager" }))).rejects.toMatchObject({ code: "23505" });
      });

      it("refuses a short password", async () => {
        await expect(
          sqlAs(getDb(), "service_role", "select auth.admin_create_user(p_email => 'short@contract.test', p_password => '12345')"),
        ).rejects.toMatchObject({ code: "23514" });
      });

      it("refuses an account said to be created by someone who is not an active admin, and writes nothing", async () => {
        const former = await createUser(getDb().query, { role: "admin", active: false });
        for (const by of [USERS.manager.id, former.id]) {
          await withRole(getDb(), "service_role", async (q) => {
            const r = await attempt(q, create(`by-${by}@contract.test`, { role: "admin", created_by: by }));
            expect(r).toMatchObject({ ok: false, error: { code: "P0001", message: "forbidden" } });
            await becomeSuperuser(q);
            expect(await q("select 1 from auth.users where email = $1", [`by-${by}@contract.test`])).toEqual([]);
          });
        }
      });

      it("an account made without created_by (seed, Supabase dashboard) is made as before, actor unknown", async () => {
        await withRole(getDb(), "service_role", async (q) => {
          const [{ u }] = await q<{ u: { id: string } }>(create("plain@contract.test", { role: "manager" }));
          await becomeSuperuser(q);
          expect(await q("select actor_id from public.audit_log where table_name = 'profiles' and row_id = $1", [u.id])).toEqual([{ actor_id: null }]);
        });
      });
    });

    describe("user_update()", () => {
      it("through service_role, the audit log names the admin it acts for", async () => {
        const user = await createUser(getDb().query, { role: "korean_team" });
        await call(fnUserUpdate, { p_user_id: user.id, p_role: "manager", p_actor: USERS.admin.id }, service);
        expect(
          await getDb().query("select actor_id, security_event from public.audit_log where table_name = 'profiles' and row_id = $1 and action = 'update'", [user.id]),
        ).toEqual([{ actor_id: USERS.admin.id, security_event: true }]);
      });

      it("keeps the last active admin", async () => {
        await expect(call(fnUserUpdate, { p_user_id: USERS.admin.id, p_active: false }, as("admin"))).rejects.toEqual(appError("last_admin"));
        await expect(call(fnUserUpdate, { p_user_id: USERS.admin.id, p_role: "manager" }, as("admin"))).rejects.toEqual(appError("last_admin"));
      });

      it("may link a customer user to an inactive company only if they are already linked to it", async () => {
        const company = await createCustomer(getDb().query);
        const user = await createUser(getDb().query, { role: "customer", customerId: company.id });
        await getDb().query("update public.customers set active = false where id = $1", [company.id]);
        await expect(call(fnUserUpdate, { p_user_id: user.id, p_display_name: "Still Here", p_customer_id: company.id }, as("admin"))).resolves.toMatchObject({
          customer_id: company.id,
          display_name: "Still Here",
        });
        const other = await createUser(getDb().query, { role: "customer", customerId: CUSTOMERS.acme });
        await expect(call(fnUserUpdate, { p_user_id: other.id, p_customer_id: company.id }, as("admin"))).rejects.toEqual(appError("validation_failed"));
      });
    });

    it("user_customer_options lists active companies only", async () => {
      const gone = await createCustomer(getDb().query);
      await getDb().query("update public.customers set active = false where id = $1", [gone.id]);
      const options = await call(fnUserCustomerOptions, {}, as("admin"));
      expect(options.map((o) => o.id)).toEqual(expect.arrayContaining([CUSTOMERS.acme, CUSTOMERS.bluesky]));
      expect(options.map((o) => o.id)).not.toContain(gone.id);
    });

    it("audit_tables lists the audited tables from the catalog", async () => {
      expect(await call(fnAuditTables, {}, as("admin"))).toEqual(expect.arrayContaining(["customers", "engines", "items", "locations", "profiles"]));
    });

    it("users_list shows when a demo user last signed in", async () => {
      await getDb().query("select auth.sign_in_with_password($1, $2)", [USERS.bluesky.email, DEMO_PASSWORD]);
      const page = await call(fnUsersList, { p_q: "bluesky", p_page: 1, p_limit: 5 }, as("admin"));
      expect(page.data.map((u) => u.id)).toEqual([USERS.bluesky.id]);
      expect(Date.now() - Date.parse(page.data[0].last_sign_in_at ?? "")).toBeLessThan(60_000);
    });
  });
}

describeUserAdminContract(contractDb);
