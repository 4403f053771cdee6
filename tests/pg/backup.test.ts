import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { databaseSummary, restorePostgres } from "@/lib/db-tools/backup";
import { applyShim, migrate } from "@/lib/db/migrate";
import { clientExecutor } from "@/lib/db/postgres";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { openPgTestDatabase } from "../helpers/pg";
import { assertLocalDatabaseUrl, databaseUrl, ownerPidOf, testDatabaseName } from "../helpers/pg-local";

// npm run db:backup / db:restore on real Postgres, through the scripts themselves (pg_dump and
// psql): back up, wipe, restore → the same rows in every table and the stock invariant holds;
// into a freshly migrated database as well as over the damaged original; a failing restore
// changes nothing.

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

const source = openPgTestDatabase();
let dir: string;
let file: string;
let before: Awaited<ReturnType<typeof databaseSummary>>;
const extraDbs: string[] = [];

function script(name: string, args: string[], url: string) {
  return run(TSX, [path.join(ROOT, "scripts", name), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, NEXT_PUBLIC_SUPABASE_URL: "", SUPABASE_SERVICE_ROLE_KEY: "" },
    timeout: 120_000,
  });
}

async function withClient<T>(url: string, work: (db: SqlExecutor) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(clientExecutor(client));
  } finally {
    await client.end();
  }
}

/** A new, migrated database with no data (what `supabase db push` gives a new project). */
async function emptyMigratedDatabase(): Promise<string> {
  const admin = assertLocalDatabaseUrl(inject("pgAdminUrl"));
  const name = testDatabaseName(ownerPidOf(inject("pgTemplate"))!, `bk${randomBytes(4).toString("hex")}`);
  await withClient(admin.toString(), (db) => db.exec(`create database ${pg.escapeIdentifier(name)}`));
  extraDbs.push(name);
  const url = databaseUrl(admin, name);
  await withClient(url, async (db) => {
    await applyShim(db);
    await migrate(db);
  });
  return url;
}

beforeAll(async () => {
  const db = await source;
  dir = await mkdtemp(path.join(tmpdir(), "duly-backup-"));
  file = path.join(dir, "backup.sql");
  // Some history of this file's own on top of the demo data: a read mark and an idempotency key.
  await db.query("insert into public.notification_reads (notification_id, user_id) select id, 'a0000000-0000-4000-8000-000000000002' from public.notifications limit 1");
  await db.query("insert into public.idempotency_keys (actor_id, key, request_hash, response) values ('a0000000-0000-4000-8000-000000000003', 'bk-key', 'h', '{\"a\":1}')");
  before = await withClient(db.url, databaseSummary);
  expect(before.stockViolations).toBe(0);
  expect(before.counts["public.stock_movements"]).toBeGreaterThan(0);
  // Kept from the ledger as shipments are committed: a restore must bring it back with the rest.
  expect(before.counts["public.customer_shipped_items"]).toBeGreaterThan(0);
  expect(before.counts["auth.users"]).toBeGreaterThanOrEqual(6);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  const admin = inject("pgAdminUrl");
  for (const name of extraDbs) {
    await withClient(admin, (db) => db.exec(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
  }
});

describe("db:backup and db:restore on Postgres", { timeout: 120_000 }, () => {
  it("backs up with pg_dump and reports the rows and the stock invariant", async () => {
    const db = await source;
    const out = await script("backup.ts", [file], db.url);
    expect(out.stdout).toContain(`backup written: ${file}`);
    expect(out.stdout).toContain("stock invariant holds");
    const text = await readFile(file, "utf8");
    expect(text.split("\n")[0]).toMatch(/^-- duly-erp backup v1 mode=postgres schema=\d{14} /);
    expect(text).toContain("COPY public.stock_movements");
    expect(text).toContain("COPY auth.users");
    // Data only: the schema comes from the migrations.
    expect(text).not.toMatch(/CREATE TABLE/i);
  });

  it("restores over a wiped database: the same rows in every table, the invariant holds", async () => {
    const db = await source;
    await withClient(db.url, async (c) => {
      await c.exec("begin; set local session_replication_role = replica");
      await c.exec("truncate public.stock_movements, public.stocks, public.item_stock_totals, public.flows, public.flow_lines, public.audit_log, auth.users cascade");
      await c.exec("insert into public.customers (code, name) values ('JUNK', 'Not in the backup'); commit");
    });
    expect((await withClient(db.url, databaseSummary)).counts["public.stock_movements"]).toBe(0);

    const out = await script("restore.ts", [file], db.url);
    expect(out.stdout).toContain("stock invariant holds");
    const after = await withClient(db.url, databaseSummary);
    expect(after).toEqual(before);
    expect(await db.query("select 1 from public.customers where code = 'JUNK'")).toHaveLength(0);
    // The restored triggers work again: the ledger is still append-only.
    await expect(db.query("delete from public.stock_movements")).rejects.toThrow(/forbidden/);
  });

  it("restores into a new, migrated, empty database", async () => {
    const url = await emptyMigratedDatabase();
    await script("restore.ts", [file], url);
    expect(await withClient(url, databaseSummary)).toEqual(before);
    // A demo user can still sign in there (auth.users came along).
    const ok = await withClient(url, (c) => c.query<{ id: string | null }>("select (auth.sign_in_with_password('manager@duly.test', 'duly-demo-pass') ->> 'id') as id"));
    expect(ok[0].id).toBe("a0000000-0000-4000-8000-000000000002");
    // The flow number sequences were not in the backup (private schema) and start over there:
    // a new flow skips the numbers the restored flows hold instead of colliding with them.
    await withClient(url, async (c) => {
      const taken = await c.query<{ number: string }>(
        "select number from public.flows where number = format('OUT-%s-000001', extract(year from now() at time zone 'Asia/Seoul')::int)");
      expect(taken).toHaveLength(1);
      const next = await c.query<{ number: string; clash: boolean }>(
        "select n as number, exists (select 1 from public.flows f where f.number = n) as clash from private.next_flow_number('outbound') as n");
      expect(next[0].number).toMatch(/^OUT-\d{4}-\d{6}$/);
      expect(next[0].number).not.toBe(taken[0].number);
      expect(next[0].clash).toBe(false);
    });
  });

  it("refuses a database at another schema version and changes nothing", async () => {
    const db = await source;
    const text = await readFile(file, "utf8");
    const other = path.join(dir, "other-schema.sql");
    await writeFile(other, text.replace(/schema=\d{14}/, "schema=20000101000000"));
    await expect(restorePostgres(db.url, other)).rejects.toThrow(/migrate the database to 20000101000000 first/);
    expect(await withClient(db.url, databaseSummary)).toEqual(before);
  });

  it("rolls a failing restore back whole", async () => {
    const db = await source;
    await db.query("insert into public.customers (code, name) values ('KEEPME', 'Made after the backup')");
    const broken = path.join(dir, "broken.sql");
    await writeFile(broken, `${await readFile(file, "utf8")}\nselect no_such_function();\n`);
    await expect(restorePostgres(db.url, broken)).rejects.toThrow(/psql failed/);
    expect(await db.query("select 1 from public.customers where code = 'KEEPME'")).toHaveLength(1);
    const now = await withClient(db.url, databaseSummary);
    expect(now.counts["public.stock_movements"]).toBe(before.counts["public.stock_movements"]);
    expect(now.stockViolations).toBe(0);
  });

  it("asks for --yes before replacing the data on another server, and refuses files it did not make", async () => {
    await expect(script("restore.ts", [file], "postgres://u:p@db.example.com:5432/postgres")).rejects.toMatchObject({
      stderr: expect.stringContaining("Run again with --yes"),
    });
    const junk = path.join(dir, "junk.sql");
    await writeFile(junk, "drop schema public cascade;\n");
    const db = await source;
    await expect(script("restore.ts", [junk], db.url)).rejects.toMatchObject({ stderr: expect.stringContaining("not a backup made by npm run db:backup") });
    expect((await withClient(db.url, databaseSummary)).counts["public.items"]).toBe(before.counts["public.items"]);
  });
});
