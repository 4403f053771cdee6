// npm run bench:audit — the backend CPU the audit log costs the writes of many rows (issue 17):
// a 100-line and a 20-line flow (flow_create → private.flow_set_lines) and the apply of a
// 500-item import, with flow_lines and items audited per row (private.audit_row and the
// audit_import_link trigger on every audit row, as before migration 20261213010100), per
// statement (private.audit_rows, as now), and not at all (the floor), side by side in one run.
//
// One connection; each call is its own transaction, rolled back (so every round writes the same
// rows); the backend's on-CPU time is read from /proc/<pid>/schedstat before and after each
// batch of calls (an import's preparation, recording and validating its rows, is left out).
// Rounds alternate the modes, so a change of machine load falls on all of them alike; the
// minimum of the rounds is the figure. The database must be local (Linux): by default
// `audit_bench` on 127.0.0.1, created, migrated and seeded here the first time.
//
//   npm run bench:audit
//   AUDIT_BENCH_URL=postgres://postgres@127.0.0.1:5432/audit_bench AUDIT_BENCH_ROUNDS=7 npm run bench:audit

import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { applyShim, migrate, seed } from "@/lib/db/migrate";
import { clientExecutor } from "@/lib/db/postgres";
import { backendCpuMs, fail, fmt, ROOT, USERS } from "./bench/common";

const url = new URL(process.env.AUDIT_BENCH_URL ?? "postgres://postgres@127.0.0.1:5432/audit_bench");
const rounds = Number(process.env.AUDIT_BENCH_ROUNDS ?? 5);
const SEL = "10000000-0000-4000-8000-000000000001";
const MIGRATION = path.join(ROOT, "supabase/migrations/20261213010100_statement_audit.sql");

type Mode = "row" | "statement" | "none";
const MODES: Mode[] = ["row", "statement", "none"];

// The audit of flow_lines and items as it was before 20261213010100, restored from the
// migration's state (which the migration file itself re-creates from this one).
const ROW_LEVEL = `
  create or replace function private.audit_row()
  returns trigger language plpgsql security definer set search_path = '' as $$
  declare
    v_actor uuid := coalesce((select auth.uid()), nullif(current_setting('duly.actor', true), '')::uuid);
    v_before jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
    v_after jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
    v_security boolean := false;
  begin
    if tg_op = 'UPDATE' and v_before = v_after then
      return new;
    end if;
    if tg_table_name = 'profiles' and tg_op = 'UPDATE' then
      v_security := (v_before ->> 'role') is distinct from (v_after ->> 'role')
        or (v_before ->> 'active') is distinct from (v_after ->> 'active');
    end if;
    insert into public.audit_log (actor_id, action, table_name, row_id, before, after, security_event)
    values (v_actor, lower(tg_op), tg_table_name, coalesce(v_after ->> 'id', v_before ->> 'id'), v_before, v_after, v_security);
    return coalesce(new, old);
  end;
  $$;
  drop trigger flow_lines_audit_insert on public.flow_lines;
  drop trigger flow_lines_audit_update on public.flow_lines;
  drop trigger flow_lines_audit_delete on public.flow_lines;
  create trigger flow_lines_audit after insert or update or delete on public.flow_lines for each row execute function private.audit_row();
  drop trigger items_audit_insert on public.items;
  drop trigger items_audit_update on public.items;
  drop trigger items_audit_delete on public.items;
  create trigger items_audit after insert or update or delete on public.items for each row execute function private.audit_row();
  drop trigger audit_log_import_link on public.audit_log;
  create trigger audit_log_import_link before insert on public.audit_log for each row execute function private.audit_import_link();`;

/** Moves the database from the statement-level audit (the migrated state) to `mode` and back. */
async function setMode(c: pg.Client, mode: Mode): Promise<void> {
  await c.query("begin");
  if (mode === "row") await c.query(ROW_LEVEL);
  if (mode === "none") {
    await c.query(ROW_LEVEL);
    await c.query("drop trigger flow_lines_audit on public.flow_lines; drop trigger items_audit on public.items");
  }
  await c.query("commit");
}
async function resetMode(c: pg.Client, mode: Mode): Promise<void> {
  await c.query("begin");
  if (mode === "none") {
    await c.query(`create trigger flow_lines_audit after insert or update or delete on public.flow_lines for each row execute function private.audit_row();
                   create trigger items_audit after insert or update or delete on public.items for each row execute function private.audit_row();`);
  }
  if (mode !== "statement") await c.query(readFileSync(MIGRATION, "utf8"));
  await c.query("commit");
}

// The server's calls: the service role acting for the user it names (p_actor).
const AS_SERVICE = `begin; set local role service_role; select set_config('request.jwt.claims', '{"role":"service_role"}', true)`;

async function prepare(): Promise<void> {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const a = new pg.Client({ connectionString: admin.toString() });
  await a.connect();
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!name.includes("bench")) fail(`refusing a database whose name lacks "bench": ${name}`);
  const exists = (await a.query("select 1 from pg_database where datname = $1", [name])).rowCount;
  if (!exists) await a.query(`create database ${pg.escapeIdentifier(name)}`);
  await a.end();
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  const db = clientExecutor(c);
  if (!exists) await applyShim(db);
  await migrate(db);
  await seed(db);
  // A run stopped half-way may have left the row-level audit (or none) in place: back to the migrated state.
  const left = (await c.query("select tgname from pg_trigger where tgname in ('flow_lines_audit', 'flow_lines_audit_insert')")).rows;
  if (left.length === 0) await resetMode(c, "none");
  else if (left[0].tgname === "flow_lines_audit") await resetMode(c, "row");
  // Enough active items for a 100-line flow (the demo has fewer).
  await c.query(`
    select set_config('duly.actor', '${USERS.manager.id}', false);
    insert into public.items (sku, name_ko, unit, engine_id)
    select 'AUDIT-BENCH-' || n, '감사 벤치 ' || n, 'EA', (select id from public.engines order by code limit 1)
    from generate_series(1, 100) n
    where not exists (select 1 from public.items i where i.sku = 'AUDIT-BENCH-' || n);`);
  await c.end();
}

async function main(): Promise<void> {
  if (process.platform !== "linux") fail("bench:audit reads /proc/<pid>/schedstat: Linux only");
  await prepare();
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  const pid = Number((await c.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0].pid);
  const items = (await c.query<{ id: string }>("select id from public.items where active order by sku limit 100")).rows.map((r) => r.id);
  if (items.length < 100) fail("fewer than 100 active items");
  const korean = USERS.korean.id;

  const flow = (n: number) => async () => {
    const lines = JSON.stringify(items.slice(0, n).map((item_id, i) => ({ item_id, qty: i + 1 })));
    await c.query(AS_SERVICE);
    const before = backendCpuMs(pid);
    await c.query("select public.flow_create('inbound', $1::jsonb, null, $2::uuid, p_actor => $3::uuid)", [lines, SEL, korean]);
    await c.query("rollback");
    return backendCpuMs(pid) - before;
  };
  let tag = 0;
  const import500 = async () => {
    tag++;
    const rows = Array.from({ length: 500 }, (_, i) => ({
      row_no: i + 2,
      cells: [`AB-${tag}-${i}`, `감사 ${i}`, null, `Audit ${i}`, "EA", "LCD", "5", "1200", null, null, "Y"],
    }));
    await c.query(AS_SERVICE);
    const [{ id }] = (await c.query<{ id: string }>(
      `select public.import_begin('items', 'bench.xlsx', 1234, 'Sheet1', 1, $1::jsonb, $2::jsonb, 500, p_actor => $3::uuid) ->> 'id' as id`,
      [JSON.stringify(["SKU", "한글명", "中文名", "English name", "단위", "사업부문", "재주문점", "단가", "바코드", "고객사", "사용"]),
        JSON.stringify({ sku: 0, name_ko: 1, name_zh: 2, name_en: 3, unit: 4, engine_code: 5, reorder_point: 6, unit_cost: 7, barcode: 8, customer_code: 9, active: 10 }),
        korean])).rows;
    await c.query("select public.import_rows_add($1::uuid, $2::jsonb, true, p_actor => $3::uuid)", [id, JSON.stringify(rows), korean]);
    const status = (await c.query<{ s: string }>("select public.import_validate($1::uuid, 2000, p_actor => $2::uuid) ->> 'status' as s", [id, korean])).rows[0].s;
    if (status !== "ready") fail(`the bench import did not validate: ${status}`);
    const before = backendCpuMs(pid);
    await c.query("select public.import_apply($1::uuid, p_actor => $2::uuid)", [id, korean]);
    const spent = backendCpuMs(pid) - before;
    await c.query("rollback");
    return spent;
  };
  const scenarios: { name: string; calls: number; run: () => Promise<number> }[] = [
    { name: "flow, 100 lines", calls: 20, run: flow(100) },
    { name: "flow, 20 lines", calls: 50, run: flow(20) },
    // The bench's outbound cycle writes one line: what each kind of audit costs it.
    { name: "flow, 1 line", calls: 200, run: flow(1) },
    { name: "import apply, 500 items", calls: 4, run: import500 },
  ];

  console.log(`bench:audit: ${url.host}${url.pathname}, ${rounds} rounds; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
  const perCall = new Map<string, number[]>();
  try {
    for (let r = 0; r < rounds; r++) {
      for (const mode of MODES) {
        await setMode(c, mode);
        try {
          for (const s of scenarios) {
            for (let i = 0; i < 3; i++) await s.run(); // warm up: plans of this mode cached
            let spent = 0;
            for (let i = 0; i < s.calls; i++) spent += await s.run();
            const key = `${s.name}|${mode}`;
            perCall.set(key, [...(perCall.get(key) ?? []), spent / s.calls]);
          }
        } finally {
          await c.query("rollback").catch(() => undefined); // a failed call's transaction
          await resetMode(c, mode);
        }
      }
    }
  } catch (error) {
    await c.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    await c.end();
  }
  console.log(`${"backend CPU ms per call (min of rounds)".padEnd(30)} ${MODES.map((m) => m.padStart(10)).join("")}   statement/row`);
  for (const s of scenarios) {
    const min = (mode: Mode) => Math.min(...perCall.get(`${s.name}|${mode}`)!);
    console.log(`${s.name.padEnd(30)} ${MODES.map((m) => fmt(min(m), 2).padStart(10)).join("")}   ${fmt(min("statement") / min("row"), 2)}`);
    for (const m of MODES) console.log(`  ${m.padEnd(10)} rounds: ${perCall.get(`${s.name}|${m}`)!.map((v) => fmt(v, 2)).join(" ")}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
