import { describe, expect, it } from "vitest";
import { becomeSuperuser } from "../../helpers/sql-as";
import type { Query, TestDb } from "../../helpers/test-db";

// Catalog rules (DESIGN §4) checked over every object in the exposed schema, so that a future
// migration that forgets a revoke, RLS or an index fails here. Each check returns the offenders;
// the suite also plants a bad table, function and view to prove the checks do catch them.

type Offender = Record<string, unknown>;

export const catalogChecks: Record<string, (q: Query) => Promise<Offender[]>> = {
  "every table in public has row level security enabled": (q) =>
    q(`select c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity order by 1`),

  "no table or view in public grants anything to anon (or PUBLIC)": (q) =>
    q(`select c.relname as relation, r.rolname as grantee
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       cross join (values ('anon'), ('public')) r (rolname)
       where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
         and (has_table_privilege(r.rolname, c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
              or has_any_column_privilege(r.rolname, c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))
       order by 1, 2`),

  // Supabase's default privileges give anon every new sequence (identity columns included):
  // nextval() and setval() on them are nobody's business but the functions'.
  "no sequence in public is usable by anon (or PUBLIC)": (q) =>
    q(`select c.relname as sequence, r.rolname as grantee
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       cross join (values ('anon'), ('public')) r (rolname)
       where n.nspname = 'public' and c.relkind = 'S'
         and has_sequence_privilege(r.rolname, c.oid, 'USAGE, SELECT, UPDATE')
       order by 1, 2`),

  "no function in public is executable by anon (or PUBLIC)": (q) =>
    q(`select p.oid::regprocedure::text as function, r.rolname as grantee
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       cross join (values ('anon'), ('public')) r (rolname)
       where n.nspname = 'public' and has_function_privilege(r.rolname, p.oid, 'EXECUTE')
       order by 1, 2`),

  "every policy in public is for authenticated only": (q) =>
    q(`select tablename as table, policyname as policy, roles::text as roles from pg_policies
       where schemaname = 'public' and roles <> '{authenticated}'::name[] order by 1, 2`),

  "every policy is for one operation (no FOR ALL)": (q) =>
    q(`select tablename as table, policyname as policy from pg_policies
       where schemaname = 'public' and cmd = 'ALL' order by 1, 2`),

  // A grant with no policy refuses every row (a dead grant hiding a missing policy); a policy with
  // no grant never runs. Either way the migration did not say what it meant.
  "authenticated has a policy for exactly the operations it is granted": (q) =>
    q(`with ops (op) as (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE')),
       t as (
         select c.oid, c.relname, o.op,
           has_table_privilege('authenticated', c.oid, o.op)
             or (o.op <> 'DELETE' and has_any_column_privilege('authenticated', c.oid, o.op)) as granted,
           exists (select 1 from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname
                   and p.cmd in (o.op, 'ALL') and 'authenticated' = any (p.roles)) as has_policy
         from pg_class c join pg_namespace n on n.oid = c.relnamespace cross join ops o
         where n.nspname = 'public' and c.relkind in ('r', 'p')
       )
       select relname as table, op, case when granted then 'granted without a policy' else 'policy without a grant' end as problem
       from t where granted <> has_policy order by 1, 2`),

  "every column a policy filters on leads an index": (q) =>
    q(`select distinct c.relname as table, a.attname as column
       from pg_policy pol
       join pg_depend d on d.classid = 'pg_policy'::regclass and d.objid = pol.oid
         and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0
       join pg_class c on c.oid = d.refobjid
       join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
       join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
       where not exists (select 1 from pg_index i where i.indrelid = d.refobjid and i.indkey[0] = d.refobjsubid)
       order by 1, 2`),

  "policies call auth.uid() and helpers once per statement, as (select ...)": async (q) => {
    const rows = await q<{ table: string; policy: string; expr: string }>(
      `select tablename as table, policyname as policy, concat_ws(' / ', qual, with_check) as expr
       from pg_policies where schemaname = 'public'`,
    );
    // Deparsed, `(select auth.uid())` reads `( SELECT auth.uid() AS uid)`: every call of a
    // function from auth or private must be the whole of such a sub-select.
    const call = /\b(auth|private)\.[a-z_]+\(/g;
    return rows.flatMap((r) =>
      [...r.expr.matchAll(call)]
        .filter((m) => !r.expr.slice(0, m.index).endsWith("( SELECT "))
        .map((m) => ({ table: r.table, policy: r.policy, call: m[0] })),
    );
  },

  "no policy authorises on user_metadata": (q) =>
    q(`select tablename as table, policyname as policy from pg_policies
       where schemaname = 'public' and concat_ws(' ', qual, with_check) ~* 'user_meta'`),

  "security definer functions pin search_path to ''": (q) =>
    q(`select p.oid::regprocedure::text as function from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'private', 'auth') and p.prosecdef
         and not coalesce(p.proconfig @> array['search_path=""'], false)
       order by 1`),

  "views in public run with the caller's rights (security_invoker)": (q) =>
    q(`select c.relname as view from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'v'
         and not exists (select 1 from unnest(coalesce(c.reloptions, '{}')) o
                         where lower(o) in ('security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes'))
       order by 1`),

  // auth holds password hashes; private holds what only functions need (a private table may be
  // readable by authenticated when a security invoker function must read it, never by anon).
  "auth tables are closed to the API roles, private tables to anon": (q) =>
    q(`select n.nspname || '.' || c.relname as relation, r.rolname as grantee
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       join (values ('auth', 'anon'), ('auth', 'authenticated'), ('auth', 'public'), ('private', 'anon'), ('private', 'public'))
         r (nspname, rolname) on r.nspname = n.nspname
       where c.relkind in ('r', 'p', 'v', 'm')
         and (has_table_privilege(r.rolname, c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
              or has_any_column_privilege(r.rolname, c.oid, 'SELECT, INSERT, UPDATE'))
       order by 1, 2`),
};

/** Which of the API roles (and PUBLIC) may execute `fn` (a regprocedure, e.g. "public.me(uuid)"). */
export async function executors(q: Query, fn: string): Promise<string[]> {
  const rows = await q<{ role: string }>(
    `select r as role from unnest(array['anon', 'authenticated', 'service_role', 'public']) r
     where has_function_privilege(r, $1::regprocedure, 'EXECUTE') order by 1`,
    [fn],
  );
  return rows.map((r) => r.role);
}

export function describeCatalog(getDb: () => TestDb) {
  describe("catalog", () => {
    it.each(Object.keys(catalogChecks))("%s", async (name) => {
      expect(await catalogChecks[name](getDb().query)).toEqual([]);
    });

    it("customers and profiles have exactly the intended policies", async () => {
      const rows = await getDb().query(
        `select tablename as table, cmd from pg_policies
         where schemaname = 'public' and tablename in ('customers', 'profiles') order by 1, 2`,
      );
      expect(rows).toEqual([
        { table: "customers", cmd: "DELETE" },
        { table: "customers", cmd: "INSERT" },
        { table: "customers", cmd: "SELECT" },
        { table: "customers", cmd: "UPDATE" },
        { table: "profiles", cmd: "SELECT" },
        { table: "profiles", cmd: "UPDATE" },
      ]);
    });

    it("the policy columns of customers and profiles are found, and indexed", async () => {
      const rows = await getDb().query(
        `select distinct c.relname as table, a.attname as column,
           exists (select 1 from pg_index i where i.indrelid = c.oid and i.indkey[0] = a.attnum) as indexed
         from pg_policy pol
         join pg_depend d on d.classid = 'pg_policy'::regclass and d.objid = pol.oid and d.refobjsubid > 0
         join pg_class c on c.oid = d.refobjid and c.relname in ('customers', 'profiles')
         join pg_attribute a on a.attrelid = c.oid and a.attnum = d.refobjsubid
         order by 1, 2`,
      );
      expect(rows).toEqual([
        { table: "customers", column: "id", indexed: true },
        { table: "profiles", column: "id", indexed: true },
      ]);
    });

    it.each([
      ["public.health_check()", ["service_role"]],
      ["auth.sign_in_with_password(text, text)", ["service_role"]],
      ["public.me(uuid)", ["authenticated", "service_role"]],
      ["public.update_my_profile(text, text, uuid)", ["authenticated", "service_role"]],
      ["public.admin_set_user_access(uuid, text, uuid, boolean, uuid)", ["authenticated", "service_role"]],
    ])("%s is executable by exactly %j", async (fn, expected) => {
      expect(await executors(getDb().query, fn)).toEqual(expected);
    });

    it("anon cannot even reach the private schema", async () => {
      const [row] = await getDb().query<{ anon: boolean; authenticated: boolean }>(
        "select has_schema_privilege('anon', 'private', 'USAGE') as anon, has_schema_privilege('authenticated', 'private', 'USAGE') as authenticated",
      );
      expect(row).toEqual({ anon: false, authenticated: true });
    });

    it("the checks catch a table, function and view made without revokes, RLS or policies (as Supabase's defaults would leave them)", async () => {
      const found = await getDb().rolledBack(async (q) => {
        await becomeSuperuser(q);
        for (const statement of [
          // As a migration that forgets everything would leave it: Supabase's default grants only.
          "create table public.zz_probe (id uuid primary key, n bigint generated always as identity, owner uuid, secret text)",
          "create function public.zz_probe_fn() returns int language sql security definer as 'select 1'",
          "create view public.zz_probe_view as select id from public.zz_probe",
          // Row security on, but a grant without a policy and each kind of policy mistake.
          "create table public.zz_probe2 (id uuid primary key, owner uuid)",
          "alter table public.zz_probe2 enable row level security",
          "revoke all on public.zz_probe2 from anon, authenticated",
          "grant select, delete on public.zz_probe2 to authenticated",
          "create policy zz_all on public.zz_probe2 for all to authenticated using (owner = auth.uid())",
          "create policy zz_public on public.zz_probe2 for select using ((auth.jwt() -> 'user_metadata' ->> 'x') = 'y')",
        ]) {
          await q(statement);
        }
        const out: Record<string, Offender[]> = {};
        for (const [name, check] of Object.entries(catalogChecks)) out[name] = await check(q);
        return out;
      });
      const mentions = (name: string, text: string) => JSON.stringify(found[name]).includes(text);
      expect(mentions("every table in public has row level security enabled", "zz_probe")).toBe(true);
      expect(mentions("no table or view in public grants anything to anon (or PUBLIC)", "zz_probe_view")).toBe(true);
      expect(mentions("no sequence in public is usable by anon (or PUBLIC)", "zz_probe_n_seq")).toBe(true);
      expect(mentions("no function in public is executable by anon (or PUBLIC)", "zz_probe_fn")).toBe(true);
      expect(mentions("every policy in public is for authenticated only", "zz_public")).toBe(true);
      expect(mentions("every policy is for one operation (no FOR ALL)", "zz_all")).toBe(true);
      expect(mentions("authenticated has a policy for exactly the operations it is granted", "zz_probe2")).toBe(true);
      expect(mentions("every column a policy filters on leads an index", "owner")).toBe(true);
      expect(mentions("policies call auth.uid() and helpers once per statement, as (select ...)", "auth.uid(")).toBe(true);
      expect(mentions("no policy authorises on user_metadata", "zz_public")).toBe(true);
      expect(mentions("security definer functions pin search_path to ''", "zz_probe_fn")).toBe(true);
      expect(mentions("views in public run with the caller's rights (security_invoker)", "zz_probe_view")).toBe(true);
    });
  });
}
