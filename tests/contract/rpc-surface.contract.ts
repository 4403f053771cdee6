import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { anon, service, type Caller } from "@/lib/db";
import { DbError } from "@/lib/db/types";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { callerOf, createUser, type TestUser } from "../helpers/fixtures";
import { holdNewUser } from "../helpers/password-hold";
import { RPC_SURFACE, unlistedMessage, type AppRole, type Grantee } from "../helpers/rpc-surface";
import { testSessionId } from "../helpers/sessions";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";
import { FINGERPRINT_FUNCTION, fixtures, type Args, type Fixtures } from "./rpc-surface-fixtures";
import { PROBES } from "./rpc-surface-probes";

// The RPC surface (issue 12 item 5), run unchanged on PGlite and real Postgres. On Supabase a signed-in user can call every function `authenticated` may execute at
// /rest/v1/rpc/<name> with their own token. These tests call them the same way, through the
// transport the app uses (PostgREST's role and claims, one transaction), as anon, every staff
// role and both demo customers:
//   * the catalogue: every function of an exposed schema is in tests/helpers/rpc-surface.ts with
//     exactly its grants, so a function added without a decision fails here;
//   * for every function on the authenticated surface: anon, a deactivated user's still-valid
//     token and the wrong roles are refused (also when p_actor names someone allowed), the right roles get through with p_actor ignored and
//     every audit row naming the caller, the other customer's records are refused or absent, and
//     the values the API refuses are refused; each refusal writes nothing anywhere;
//   * one permissive policy per table, role and command.

const DEMO: DemoUser[] = ["admin", "manager", "korean", "chinese", "acme", "bluesky"];
const ROOT = path.resolve(__dirname, "../..");
const roleOf = (who: DemoUser) => USERS[who].role as AppRole;
const surfaceFunctions = Object.entries(RPC_SURFACE).filter(([, e]) => e.grants.includes("authenticated"));
const serviceFunctions = Object.entries(RPC_SURFACE).filter(([, e]) => !e.grants.includes("authenticated"));

/** The schemas PostgREST exposes, as supabase/config.toml says. */
async function exposedSchemas(): Promise<string[]> {
  const toml = await readFile(path.join(ROOT, "supabase/config.toml"), "utf8");
  const line = /^\s*schemas\s*=\s*\[([^\]]*)\]/m.exec(toml);
  if (!line) throw new Error("supabase/config.toml has no [api] schemas");
  return [...line[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

type Catalogued = { name: string; signature: string; args: string[]; grants: Grantee[] };

/** Every function of the exposed schemas (not an extension's), with who may execute it. */
async function catalogue(db: () => ReturnType<ReturnType<typeof databaseForSuite>>): Promise<Catalogued[]> {
  const rows = await db().query<{ name: string; signature: string; args: string[] | null; grants: string[] }>(
    `select n.nspname || '.' || p.proname as name, p.oid::regprocedure::text as signature,
       (select array_agg(a order by o) from unnest(p.proargnames, p.proargmodes) with ordinality x (a, m, o)
         where coalesce(m, 'i') in ('i', 'b', 'v')) as args,
       array(select r from unnest(array['anon', 'authenticated', 'service_role']) r
             where has_function_privilege(r, p.oid, 'EXECUTE') order by 1) as grants
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = any ($1::text[]) and p.prokind = 'f'
       and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
     order by 1, 2`,
    [await exposedSchemas()],
  );
  return rows.map((r) => ({ ...r, args: r.args ?? [], grants: r.grants as Grantee[] }));
}

/** The outcome of one direct call: its result, or the database's error. */
type Outcome = { ok: true; result: unknown } | { ok: false; code: string; message: string };

const REFUSED_ROLE = ["forbidden", "not_found", "unauthorized"];
// The identity calls answer "nobody" to a token whose session is gone (deactivation ends them).
const READS_OWN_PROFILE: Record<string, unknown> = {
  "public.me": null,
  "public.me_counting": { profile: null, rate: null, address_rate: null },
};
// What a refusal of a value looks like: one of the app's own codes, a privilege, a constraint or
// a bad value; never "function does not exist" (which would mean the probe is wrong).
const REFUSED_VALUE_CODES = ["P0001", "42501", "23514", "23502", "23503", "22001", "22003", "22007", "22008", "22P02", "22023"];

function describeRpcSurfaceContract(makeDb: MakeDb) {
  describe("the RPC surface", () => {
    const getDb = databaseForSuite(makeDb);
    let fx: Fixtures;
    let argsOf: Map<string, string[]>;

    beforeAll(async () => {
      const db = getDb();
      if (db.engine === "pglite") await (db.transport as unknown as { db: { exec(sql: string): Promise<unknown> } }).db.exec(FINGERPRINT_FUNCTION);
      else await db.query(FINGERPRINT_FUNCTION);
      fx = fixtures(db);
      argsOf = new Map((await catalogue(getDb)).map((f) => [f.name, f.args]));
    });

    async function direct(fn: string, args: Args, caller: Caller): Promise<Outcome> {
      const name = fn.replace(/^public\./, "");
      try {
        return { ok: true, result: await getDb().transport.rpc(name, args, caller) };
      } catch (error) {
        if (!(error instanceof DbError)) throw error;
        return { ok: false, code: error.code, message: error.message };
      }
    }

    const fingerprint = async () => (await getDb().query<{ f: string }>("select rpc_probe.fingerprint() as f"))[0].f;
    const lastAudit = async () => (await getDb().query<{ n: string }>("select coalesce(max(id), 0)::text as n from public.audit_log"))[0].n;

    /** Runs `calls`, then proves that the database is exactly as before them. */
    async function writesNothing(calls: () => Promise<void>): Promise<void> {
      const before = await fingerprint();
      await calls();
      expect(await fingerprint(), "a refused call wrote something").toBe(before);
    }

    // One user of each role who must change their password (an admin set a temporary one, then
    // they signed in with it: a live session), made when a test first needs them.
    const heldUsers = new Map<AppRole, Promise<TestUser>>();
    const heldUser = (role: AppRole) => {
      if (!heldUsers.has(role)) heldUsers.set(role, holdNewUser(getDb(), role));
      return heldUsers.get(role)!;
    };

    const withActor = (fn: string, args: Args, actor: DemoUser): Args =>
      argsOf.get(fn)?.includes("p_actor") ? { ...args, p_actor: USERS[actor].id } : args;

    // -----------------------------------------------------------------------------------------
    describe("catalogue", () => {
      it("the fingerprint sees an insert, an update and a delete, and not a read or a rolled-back write", async () => {
        const db = getDb();
        // A table without triggers, so that no audit row gives the change away.
        const key = `fp-${crypto.randomUUID()}`;
        const changes = async (work: () => Promise<unknown>) => {
          const before = await fingerprint();
          await work();
          return (await fingerprint()) !== before;
        };
        expect(await changes(() => db.query("insert into public.idempotency_keys (actor_id, key, request_hash) values ($1, $2, 'a')", [USERS.admin.id, key]))).toBe(true);
        expect(await changes(() => db.query("update public.idempotency_keys set request_hash = 'b' where key = $1", [key]))).toBe(true);
        expect(await changes(() => db.query("select count(*) from public.idempotency_keys"))).toBe(false);
        expect(await changes(() => db.rolledBack((q) => q("delete from public.idempotency_keys where key = $1", [key])))).toBe(false);
        expect(await changes(() => db.query("delete from public.idempotency_keys where key = $1", [key]))).toBe(true);
      });

      it("reads the exposed schemas from supabase/config.toml", async () => {
        expect(await exposedSchemas()).toContain("public");
      });

      it("every function of an exposed schema is in the manifest, executable by exactly the roles it names", async () => {
        const problems: string[] = [];
        for (const f of await catalogue(getDb)) {
          const entry = RPC_SURFACE[f.name];
          if (!entry) problems.push(unlistedMessage(f.name, f.signature, f.grants));
          else if (JSON.stringify(f.grants) !== JSON.stringify([...entry.grants].sort())) {
            problems.push(`${f.signature} is executable by [${f.grants.join(", ")}], the manifest says [${[...entry.grants].sort().join(", ")}] (tests/helpers/rpc-surface.ts): fix the grants in a new migration, or the manifest with a reason`);
          }
        }
        expect(problems).toEqual([]);
      });

      it("every manifest entry is a function of the database (no stale entries)", async () => {
        const names = new Set((await catalogue(getDb)).map((f) => f.name));
        expect(Object.keys(RPC_SURFACE).filter((n) => !names.has(n))).toEqual([]);
      });

      it("no function of an exposed schema is executable by PUBLIC", async () => {
        const rows = await getDb().query(
          `select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = any ($1::text[]) and has_function_privilege('public', p.oid, 'EXECUTE')
             and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`,
          [await exposedSchemas()],
        );
        expect(rows).toEqual([]);
      });

      it("every function on the authenticated surface has a probe below, and every probe a function", () => {
        const missing = surfaceFunctions.map(([n]) => n).filter((n) => !PROBES[n]);
        expect(missing, "add a probe for each to tests/contract/rpc-surface-probes.ts: how a permitted caller calls it, the other customer's records, and the values the API refuses").toEqual([]);
        expect(Object.keys(PROBES).filter((n) => !RPC_SURFACE[n]?.grants.includes("authenticated"))).toEqual([]);
      });

      it("docs/security.md lists every function of the manifest", async () => {
        const doc = await readFile(path.join(ROOT, "docs/security.md"), "utf8");
        const section = doc.slice(doc.indexOf("## The RPC surface"));
        expect(section.length, "docs/security.md needs a section \"## The RPC surface\"").toBeGreaterThan(20);
        const missing = Object.keys(RPC_SURFACE).filter((n) => !section.includes(`\`${n.replace(/^public\./, "")}\``));
        expect(missing, "list these in docs/security.md, \"The RPC surface\"").toEqual([]);
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("service_role only", () => {
      it.each(serviceFunctions.map(([n]) => n))("%s: anon, every staff role and both customers are refused (42501), nothing written", async (fn) => {
        const args = Object.fromEntries((argsOf.get(fn) ?? []).map((a) => [a, a === "p_actor" ? USERS.admin.id : null]));
        await writesNothing(async () => {
          for (const caller of [anon, ...DEMO.map(as)]) {
            expect(await direct(fn, args, caller)).toMatchObject({ ok: false, code: "42501" });
          }
        });
      });

      it("an unchecked storage path cannot be registered with a user's own token, not even for a path attachment_prepare gave", async () => {
        const place = (await direct("attachment_prepare", { p_kind: "document", p_customer_id: CUSTOMERS.acme }, as("acme"))) as { ok: true; result: { storage_path: string } };
        const args = { p_storage_path: place.result.storage_path, p_file_name: "x.pdf", p_content_type: "application/pdf", p_size_bytes: 5,
          p_sha256: "a".repeat(64), p_kind: "document", p_customer_id: CUSTOMERS.acme };
        await writesNothing(async () => {
          for (const who of DEMO) {
            expect(await direct("attachment_register", withActor("public.attachment_register", args, "admin"), as(who))).toMatchObject({ ok: false, code: "42501" });
          }
        });
      });

      it("a user's own pending upload cannot be completed with their own token (the server's content check would be skipped)", async () => {
        const id = await fx.upload("acme");
        await writesNothing(async () => {
          const complete = { p_id: id, p_size_bytes: 10, p_content_type: "application/pdf", p_sha256: "a".repeat(64) };
          expect(await direct("attachment_upload_complete", complete, as("acme"))).toMatchObject({ ok: false, code: "42501" });
          expect(await direct("attachment_upload_fail", { p_id: id }, as("acme"))).toMatchObject({ ok: false, code: "42501" });
        });
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("rpc_idempotent", () => {
      it("runs the inner function with the caller's own rights: p_actor in p_args is ignored", async () => {
        await writesNothing(async () => {
          const args = { p_key: `k-${crypto.randomUUID()}`, p_hash: "h", p_fn: "user_update", p_args: { p_user_id: USERS.acme.id, p_role: "admin", p_actor: USERS.admin.id } };
          expect(await direct("rpc_idempotent", args, as("acme"))).toMatchObject({ ok: false, message: "forbidden" });
          expect(await direct("rpc_idempotent", { ...args, p_actor: USERS.admin.id }, as("korean"))).toMatchObject({ ok: false, message: "forbidden" });
        });
      });

      it("keys are per user: another user's key never replays their answer", async () => {
        const key = `k-${crypto.randomUUID()}`;
        const first = await direct("rpc_idempotent", { p_key: key, p_hash: "h", p_fn: "notifications_mark_read", p_args: { p_ids: [] } }, as("admin"));
        expect(first).toMatchObject({ ok: true, result: { replayed: false } });
        const again = await direct("rpc_idempotent", { p_key: key, p_hash: "h", p_fn: "notifications_mark_read", p_args: { p_ids: [] } }, as("admin"));
        expect(again).toMatchObject({ ok: true, result: { replayed: true } });
        // The same key as the manager (naming the admin as p_actor) is the manager's own, fresh.
        const other = await direct("rpc_idempotent", { p_key: key, p_hash: "other", p_fn: "notifications_mark_read", p_args: { p_ids: [] }, p_actor: USERS.admin.id }, as("manager"));
        expect(other).toMatchObject({ ok: true, result: { replayed: false } });
        const owners = await getDb().query<{ actor_id: string }>("select actor_id from public.idempotency_keys where key = $1 order by 1", [key]);
        expect(owners.map((r) => r.actor_id)).toEqual([USERS.admin.id, USERS.manager.id].sort());
      });

      it("the service role acts for the actor it names: that actor's key namespace and the inner call's p_actor", async () => {
        const key = `k-${crypto.randomUUID()}`;
        const inspection = await fx.inspection(CUSTOMERS.acme);
        // p_args names the admin; the actor is acme: the inner call acts for acme, not the admin.
        const out = await direct("rpc_idempotent", { p_key: key, p_hash: "h", p_fn: "message_send", p_args: { p_inspection_id: inspection, p_body: "hi", p_actor: USERS.admin.id }, p_actor: USERS.acme.id }, service);
        expect(out).toMatchObject({ ok: true, result: { replayed: false, result: { mine: true, from_staff: false, sender_name: "ACME Buyer" } } });
        const [message] = await getDb().query<{ sender_id: string }>("select sender_id from public.messages where id = $1", [(out as { result: { result: { id: string } } }).result.result.id]);
        expect(message.sender_id).toBe(USERS.acme.id);
        const [row] = await getDb().query<{ actor_id: string }>("select actor_id from public.idempotency_keys where key = $1", [key]);
        expect(row.actor_id).toBe(USERS.acme.id);
        expect(await direct("rpc_idempotent", { p_key: key, p_hash: "h", p_fn: "message_send", p_args: {} }, service)).toMatchObject({ ok: false, message: "unauthorized" });
      });
    });

    // -----------------------------------------------------------------------------------------
    describe.each(surfaceFunctions.map(([n, e]) => [n, e.roles] as const))("%s", (fn, roles) => {
      const allowed = DEMO.filter((who) => roles.includes(roleOf(who)));
      const refused = DEMO.filter((who) => !roles.includes(roleOf(who)));
      const probe = () => {
        const p = PROBES[fn];
        if (!p) throw new Error(`No probe for ${fn} in tests/contract/rpc-surface-probes.ts`);
        return p;
      };

      it("anon is refused (42501), nothing written", async () => {
        const args = await probe().args(fx, allowed[0]);
        await writesNothing(async () => {
          expect(await direct(fn, args, anon)).toMatchObject({ ok: false, code: "42501" });
          expect(await direct(fn, withActor(fn, args, allowed[0]), anon)).toMatchObject({ ok: false, code: "42501" });
        });
      });

      it(`a deactivated ${roleOf(allowed[0])}'s still-valid token gets nothing; nothing written`, async () => {
        const args = await probe().args(fx, allowed[0]);
        const role = roleOf(allowed[0]);
        const former = await createUser(getDb().query, { role, customerId: role === "customer" ? CUSTOMERS.acme : null, active: false });
        await writesNothing(async () => {
          const out = await direct(fn, args, callerOf(former));
          // The identity calls answer, with nobody: the API treats the request as signed out.
          if (fn in READS_OWN_PROFILE) expect(out).toEqual({ ok: true, result: READS_OWN_PROFILE[fn] });
          else expect(out, JSON.stringify(out).slice(0, 300)).toMatchObject({ ok: false });
        });
      });

      it(`${roleOf(allowed[0])} who must change their password: held to it (password_change_required); nothing written`, async () => {
        const args = await probe().args(fx, allowed[0]);
        const held = callerOf(await heldUser(roleOf(allowed[0])));
        if (fn in READS_OWN_PROFILE) {
          // The identity call answers: the app needs it to send the user to the password page.
          const out = await direct(fn, args, held);
          const profile = fn === "public.me" ? out : { ok: out.ok, result: (out as { result?: { profile?: unknown } }).result?.profile };
          expect(profile).toMatchObject({ ok: true, result: { must_change_password: true } });
          return;
        }
        await writesNothing(async () => {
          for (const call of [args, withActor(fn, args, allowed[0])]) {
            const out = await direct(fn, call, held);
            expect(out, JSON.stringify(out).slice(0, 300)).toMatchObject({ ok: false, code: "P0001", message: "password_change_required" });
          }
        });
      });

      if (refused.length > 0) {
        it(`${refused.join(", ")} refused, also naming ${allowed[0]} as p_actor; nothing written`, async () => {
          const args = await probe().args(fx, allowed[0]);
          await writesNothing(async () => {
            for (const who of refused) {
              for (const call of [args, withActor(fn, args, allowed[0])]) {
                const out = await direct(fn, call, as(who));
                expect(out.ok, `${who} got through`).toBe(false);
                if (!out.ok && out.code !== "42501") expect(REFUSED_ROLE, `${who}: ${out.code} ${out.message}`).toContain(out.message);
              }
            }
          });
        });
      }

      it(`${allowed.join(", ")} get through; a p_actor naming someone else is ignored and every audit row names the caller`, async () => {
        for (const who of allowed) {
          const spoof: DemoUser = roleOf(who) === "customer" ? "admin" : "acme";
          const args = withActor(fn, await probe().args(fx, who), spoof);
          const since = await lastAudit();
          const out = await direct(fn, args, as(who));
          expect(out, `${who}: ${JSON.stringify(out).slice(0, 300)}`).toMatchObject({ ok: true });
          const actors = await getDb().query<{ actor_id: string | null }>("select distinct actor_id from public.audit_log where id > $1::bigint", [since]);
          expect(actors.map((a) => a.actor_id).filter((a) => a !== USERS[who].id), `${who}: audit rows of someone else`).toEqual([]);
          if (roleOf(who) === "customer" && out.ok) {
            const theirs = who === "acme" ? [CUSTOMERS.bluesky, USERS.bluesky.id] : [CUSTOMERS.acme, USERS.acme.id];
            for (const id of theirs) expect(JSON.stringify(out.result), `${who} sees the other company`).not.toContain(id);
          }
        }
      });

      if (roles.includes("customer") && PROBES[fn]?.other) {
        it("ACME naming Blue Sky's records is refused or shown nothing of theirs; nothing written", async () => {
          const args = await probe().other!(fx);
          const ids = Object.values(args).filter((v): v is string => typeof v === "string" && /^[0-9a-f-]{36}$/.test(v));
          await writesNothing(async () => {
            for (const call of [args, withActor(fn, args, "bluesky"), withActor(fn, args, "admin")]) {
              const out = await direct(fn, call, as("acme"));
              if (out.ok) {
                for (const id of [CUSTOMERS.bluesky, USERS.bluesky.id, ...ids]) expect(JSON.stringify(out.result)).not.toContain(id);
              } else {
                expect(["P0001", "42501"], `${out.code} ${out.message}`).toContain(out.code);
              }
            }
          });
        });
      }

      const bad = Object.keys(PROBES[fn]?.bad ?? {});
      if (bad.length > 0) {
        it.each(bad)(`refuses %s (as ${allowed[0]}); nothing written`, async (name) => {
          const args = await probe().bad![name](fx);
          await writesNothing(async () => {
            const out = await direct(fn, args, as(allowed[0]));
            expect(out.ok, `${name} got through: ${JSON.stringify(out).slice(0, 300)}`).toBe(false);
            if (!out.ok) expect(REFUSED_VALUE_CODES, `${out.code} ${out.message}`).toContain(out.code);
          });
        });
      }
    });

    // -----------------------------------------------------------------------------------------
    describe("policies", () => {
      it("one permissive policy per table, role and command (Supabase's advisor: multiple permissive policies)", async () => {
        const rows = await getDb().query(
          `with p as (
             select schemaname, tablename, cmd, r.role, policyname
             from pg_policies, unnest(case when roles = '{public}'::name[] then array['anon', 'authenticated', 'service_role']::name[] else roles end) r (role)
             where permissive = 'PERMISSIVE'
           ), each_cmd as (
             select schemaname, tablename, role, policyname, c.cmd
             from p, unnest(case when p.cmd = 'ALL' then array['SELECT', 'INSERT', 'UPDATE', 'DELETE'] else array[p.cmd] end) c (cmd)
           )
           select schemaname, tablename, role, cmd, string_agg(policyname, ' | ' order by policyname) as policies
           from each_cmd group by 1, 2, 3, 4 having count(*) > 1 order by 1, 2, 3, 4`,
        );
        expect(rows).toEqual([]);
      });

      it("the merged policies keep the same rows: staff read everything, a customer their own shipments and goods only", async () => {
        const count = async (who: DemoUser, sql: string) => {
          const rows = await getDb().rolledBack(async (q) => {
            await q("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [
              JSON.stringify({ sub: USERS[who].id, role: "authenticated", session_id: testSessionId(USERS[who].id) }),
            ]);
            return q<{ n: number }>(sql);
          });
          return rows[0].n;
        };
        const shipment = await fx.shipment(CUSTOMERS.bluesky);
        const all = async (sql: string) => (await getDb().query<{ n: number }>(sql))[0].n;
        for (const [table, own] of [
          ["public.flows", `kind = 'outbound' and customer_id = '${CUSTOMERS.acme}'`],
          ["public.flow_lines", `flow_id in (select id from public.flows where kind = 'outbound' and customer_id = '${CUSTOMERS.acme}')`],
          ["public.items", `customer_id = '${CUSTOMERS.acme}' or id in (select fl.item_id from private.all_flow_lines fl join public.flows f on f.id = fl.flow_id where f.kind = 'outbound' and f.customer_id = '${CUSTOMERS.acme}')`],
          ["public.stocks", `item_id in (select id from public.items where customer_id = '${CUSTOMERS.acme}')`],
          ["public.locations", "true"],
        ] as const) {
          const sql = `select count(*)::int as n from ${table}`;
          for (const who of ["admin", "chinese"] as const) expect(await count(who, sql), `${who} ${table}`).toBe(await all(sql));
          expect(await count("acme", sql), `acme ${table}`).toBe(await all(`${sql} where ${own}`));
        }
        expect(await count("acme", `select count(*)::int as n from public.flows where id = '${shipment}'`)).toBe(0);
        expect(await count("bluesky", `select count(*)::int as n from public.flows where id = '${shipment}'`)).toBe(1);
      });
    });
  });
}

describeRpcSurfaceContract(contractDb);
