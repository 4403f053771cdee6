import { describe, expect, it } from "vitest";
import { sqlAsCounting } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";
import { contractDb } from "../helpers/contract-db";

// The SQL-language helpers written to be inlined (no setting of their own, not security
// definer): the planner inlines one only when its body is no more volatile than its declaration.
// private.profile_json was declared IMMUTABLE around a STABLE body (jsonb_build_object of a
// timestamptz), so public.me(), on every API request, parsed and planned it on each call
// (20261228000100). Run on PGlite (tests/db) and real Postgres (tests/pg).

type Helper = { fn: string; args: string[] };

function describeSqlHelpersContract(makeDb: MakeDb) {
  describe("SQL helpers", () => {
    const getDb = databaseForSuite(makeDb);

    it("every SQL helper without a setting of its own is inlined where it is called", async () => {
      const helpers = await getDb().query<Helper>(
        `select p.oid::regproc::text as fn, array(select t::regtype::text from unnest(p.proargtypes::oid[]) with ordinality a(t, o) order by o) as args
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
         where n.nspname in ('public', 'private', 'auth') and l.lanname = 'sql'
           and p.proconfig is null and not p.prosecdef and not p.proretset
         order by 1`,
      );
      expect(helpers.map((h) => h.fn)).toEqual(expect.arrayContaining(["private.profile_json", "auth.uid", "auth.jwt"]));
      const notInlined: string[] = [];
      for (const { fn, args } of helpers) {
        // Arguments from a subquery the planner cannot flatten (offset 0): columns, not constants
        // it could fold the call into.
        const values = ["1 as d", ...args.map((t, i) => `null::${t} as a${i}`)].join(", ");
        const call = `${fn}(${args.map((_, i) => `x.a${i}`).join(", ")})`;
        const plan = (await getDb().query<{ "QUERY PLAN": string }>(`explain (verbose, costs off) select ${call} from (select ${values} offset 0) x`))
          .map((r) => r["QUERY PLAN"])
          .join("\n");
        if (plan.includes(`${fn.split(".").pop()}(`)) notInlined.push(fn);
      }
      expect(notInlined).toEqual([]);
    });

    it("me() runs no SQL function of its own, and still answers with the profile", async () => {
      const { rows, calls } = await sqlAsCounting<{ me: { email: string; role: string; created_at: string; must_change_password: boolean } }>(
        getDb(),
        "manager",
        "select public.me() as me",
      );
      expect(calls.filter((c) => c.language === "sql").map((c) => c.fn)).toEqual([]);
      expect(rows[0].me).toMatchObject({ email: "manager@duly.test", role: "manager", must_change_password: false });
      expect(Date.parse(rows[0].me.created_at)).not.toBeNaN();
    });
  });
}

describeSqlHelpersContract(contractDb);
