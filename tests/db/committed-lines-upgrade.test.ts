import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { applyShim, migrate, SUPABASE_DIR } from "@/lib/db/migrate";
import { openPglite, pgliteExecutor } from "@/lib/db/pglite";
import { createUser } from "../helpers/fixtures";
import { pgliteQuery } from "../helpers/pglite";
import type { Query } from "../helpers/test-db";

// The upgrade of a database that already holds committed flows (20261219000100): their lines
// are dropped from flow_lines only when the ledger holds every one of them, and read back the
// same afterwards; a database whose lines and ledger disagree is left as it was.

const UPGRADE = "20261219000100_committed_lines_in_ledger.sql";
const MIGRATIONS = path.join(SUPABASE_DIR, "migrations");
const dirs: string[] = [];
const dbs: PGlite[] = [];

afterAll(async () => {
  for (const db of dbs) await db.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A directory with the migrations before the upgrade, or up to and including it. */
async function migrationsDir(withUpgrade: boolean): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "duly-upgrade-"));
  dirs.push(dir);
  for (const file of (await readdir(MIGRATIONS)).sort()) {
    if (file > UPGRADE || (file === UPGRADE && !withUpgrade)) continue;
    await copyFile(path.join(MIGRATIONS, file), path.join(dir, file));
  }
  return dir;
}

type Line = { line_no: number; item_id: string; qty: number };
type Setup = { db: PGlite; q: Query; flows: Record<string, string> };

/** A database migrated to just before the upgrade, with committed flows of every kind and a draft. */
async function databaseBeforeUpgrade(): Promise<Setup> {
  const db = await openPglite();
  dbs.push(db);
  const exec = pgliteExecutor(db);
  const q = pgliteQuery(db);
  await applyShim(exec);
  await migrate(exec, await migrationsDir(false));
  const korean = await createUser(q, { role: "korean_team" });
  const manager = await createUser(q, { role: "manager" });
  await q("select set_config('request.jwt.claims', '{\"role\":\"service_role\"}', false)");
  const [a, b] = await q<{ id: string }>(
    "insert into public.locations (code, name, country) values ('KR-UP', 'Upgrade KR', 'KR'), ('CN-UP', 'Upgrade CN', 'CN') returning id",
  );
  const item = async (sku: string) =>
    (await q<{ r: { id: string } }>("select public.item_create($1, $2) as r", [{ sku, name_ko: sku, unit: "EA" }, manager.id]))[0].r.id;
  const one = await item("UP-ONE");
  const two = await item("UP-TWO");
  const flow = async (kind: string, lines: { item_id: string; qty: number }[], from: string | null, to: string | null, commit = true) => {
    const [{ f }] = await q<{ f: { id: string } }>(
      "select public.flow_create($1, $2, $3, $4, null, null, null, null, $5) as f",
      [kind, JSON.stringify(lines), from, to, korean.id],
    );
    if (!commit) return f.id;
    await q("select public.flow_submit($1, null, $2)", [f.id, korean.id]);
    await q("select public.flow_approve($1, null, $2)", [f.id, manager.id]);
    await q("select public.flow_commit($1, null, $2)", [f.id, manager.id]);
    return f.id;
  };
  const flows = {
    inbound: await flow("inbound", [{ item_id: one, qty: 5 }, { item_id: two, qty: 3.5 }], null, a.id),
    outbound: await flow("outbound", [{ item_id: one, qty: 2 }], a.id, null),
    transfer: await flow("transfer", [{ item_id: two, qty: 1.25 }], a.id, b.id),
    adjustment: await flow("adjustment", [{ item_id: one, qty: -1 }, { item_id: two, qty: 4 }], null, a.id),
    draft: await flow("outbound", [{ item_id: one, qty: 1 }], a.id, null, false),
  };
  return { db, q, flows };
}

async function linesOf(q: Query, flow: string): Promise<Line[]> {
  const [{ lines }] = await q<{ lines: Record<string, unknown>[] }>("select private.flow_json($1) -> 'lines' as lines", [flow]);
  return lines.map((l) => ({ line_no: Number(l.line_no), item_id: String(l.item_id), qty: Number(l.qty) }));
}

describe("upgrading a database with committed flows to lines kept in the ledger", () => {
  it("drops the committed lines from flow_lines and reads the same lines back; the draft keeps its own", async () => {
    const { db, q, flows } = await databaseBeforeUpgrade();
    const before = Object.fromEntries(await Promise.all(Object.entries(flows).map(async ([k, id]) => [k, await linesOf(q, id)] as const)));
    expect(before.adjustment.map((l) => l.qty)).toEqual([-1, 4]);
    const [{ audited }] = await q<{ audited: number }>("select count(*)::int as audited from public.audit_log");

    expect(await migrate(pgliteExecutor(db), await migrationsDir(true))).toEqual([UPGRADE.slice(0, 14)]);

    for (const [kind, id] of Object.entries(flows)) expect(await linesOf(q, id), kind).toEqual(before[kind]);
    const kept = await q<{ flow_id: string }>("select distinct flow_id::text from public.flow_lines");
    expect(kept).toEqual([{ flow_id: flows.draft }]);
    // The move is no removal: the audit log got nothing from it.
    expect(await q("select count(*)::int as audited from public.audit_log")).toEqual([{ audited }]);
    expect(await q<{ r: { violations: unknown[] } }>("select public.stock_invariant_violations() as r")).toEqual([{ r: expect.objectContaining({ violations: [] }) }]);
  });

  it("refuses, and changes nothing, when a committed line differs from its ledger row", async () => {
    const { db, q, flows } = await databaseBeforeUpgrade();
    await q("set session_replication_role = replica");
    await q("update public.flow_lines set qty = qty + 1 where flow_id = $1 and line_no = 1", [flows.inbound]);
    await q("set session_replication_role = origin");
    const [{ n }] = await q<{ n: number }>("select count(*)::int as n from public.flow_lines");

    await expect(migrate(pgliteExecutor(db), await migrationsDir(true))).rejects.toThrow(/committed flow lines differ from the ledger/);
    expect(await q("select count(*)::int as n from public.flow_lines")).toEqual([{ n }]);
    expect(await q("select 1 from supabase_migrations.schema_migrations where version = $1", [UPGRADE.slice(0, 14)])).toEqual([]);
  });
});
