import { spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { openPglite } from "@/lib/db/pglite";
import type { SqlExecutor } from "@/lib/db/sql-executor";

// Backups and restores for `npm run db:backup` / `npm run db:restore`.
//
// Embedded (PGlite): the whole data folder as PGlite's own tarball (dumpDataDir), restored with
// loadDataDir into a fresh folder. PGlite is one process per folder, so both refuse to run while
// the app holds it.
//
// Postgres and Supabase (DATABASE_URL): a data-only pg_dump of our tables (public.* and the auth
// users), restored with psql into a database migrated to the same schema version, in one
// transaction: every table emptied, the rows loaded with triggers off (the ledger's append-only
// guard and the audit triggers must not fire for restored history), or nothing at all. Keeping
// the schema out of the backup is what lets the same file restore into a new Supabase project
// after `supabase db push`, where Supabase owns the auth, storage and other schemas.

export const BACKUP_HEADER = "-- duly-erp backup v1";

/** The newest migration a database has (what its data is shaped for). */
async function schemaVersion(client: pg.Client): Promise<string | null> {
  const r = await client.query<{ v: string | null }>("select max(version) as v from supabase_migrations.schema_migrations");
  return r.rows[0]?.v ?? null;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Row counts of every table a backup holds, and the stock invariant: to summarise and check a restore. */
export async function databaseSummary(db: SqlExecutor): Promise<{ counts: Record<string, number>; stockViolations: number }> {
  const tables = await db.query<{ t: string }>(
    "select format('%I.%I', schemaname, tablename) as t from pg_catalog.pg_tables " +
      "where schemaname = 'public' or (schemaname = 'auth' and tablename in ('users', 'identities')) order by 1",
  );
  const counts: Record<string, number> = {};
  for (const { t } of tables) counts[t] = (await db.query<{ n: number }>(`select count(*)::int as n from ${t}`))[0].n;
  const [v] = await db.query<{ n: number }>("select jsonb_array_length(public.stock_invariant_violations() -> 'violations') as n");
  return { counts, stockViolations: v.n };
}

function run(cmd: string, args: string[], opts: { stdout?: NodeJS.WritableStream } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", opts.stdout ? "pipe" : "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    if (opts.stdout && child.stdout) child.stdout.pipe(opts.stdout, { end: false });
    child.on("error", (error) =>
      reject((error as NodeJS.ErrnoException).code === "ENOENT" ? new Error(`${cmd} not found: install the PostgreSQL client tools (same major version as the server) and put them on PATH`) : error),
    );
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} failed (exit ${code}): ${stderr.trim().slice(-2000)}`))));
  });
}

// --- Postgres / Supabase ---------------------------------------------------------------------

/** pg_dump of our data (no schema) to `file`, with a header naming the schema version. */
export async function backupPostgres(url: string, file: string): Promise<{ schema: string }> {
  const schema = await withClient(url, schemaVersion);
  if (!schema) throw new Error("The database has no migrations applied: nothing to back up");
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  try {
    out.write(`${BACKUP_HEADER} mode=postgres schema=${schema} created=${new Date().toISOString()}\n`);
    await run(
      "pg_dump",
      ["--dbname", url, "--data-only", "--no-owner", "--no-privileges", "--table", "public.*", "--table", "auth.users", "--table", "auth.identities"],
      { stdout: out },
    );
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    await rename(partial, file);
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
  return { schema };
}

/** The header of a backup file: its mode and schema version. */
export async function readHeader(file: string): Promise<{ mode: "postgres" | "embedded"; schema: string | null }> {
  const handle = await open(file, "r");
  try {
    const buf = Buffer.alloc(256);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    // PGlite's dumpDataDir("gzip") is a gzipped tar.
    if (head[0] === 0x1f && head[1] === 0x8b) return { mode: "embedded", schema: null };
    const line = head.toString("utf8").split("\n")[0];
    const m = /^-- duly-erp backup v1 mode=postgres schema=(\d{14})\b/.exec(line);
    if (!m) throw new Error(`${file} is not a backup made by npm run db:backup`);
    return { mode: "postgres", schema: m[1] };
  } finally {
    await handle.close();
  }
}

const EMPTY_OUR_TABLES = `do $$
declare v_tables text;
begin
  select string_agg(format('%I.%I', schemaname, tablename), ', ') into v_tables
  from pg_catalog.pg_tables where schemaname = 'public';
  execute 'truncate ' || v_tables || ', auth.identities, auth.users cascade';
end $$`;

/**
 * Replaces the data of a database migrated to the backup's schema version with the backup's, in
 * one transaction (any error leaves the database as it was).
 */
export async function restorePostgres(url: string, file: string): Promise<void> {
  const header = await readHeader(file);
  if (header.mode !== "postgres") throw new Error(`${file} is an embedded (PGlite) backup; restore it without DATABASE_URL`);
  const target = await withClient(url, schemaVersion).catch(() => null);
  if (target !== header.schema) {
    throw new Error(
      `The backup is of schema ${header.schema} but the database is at ${target ?? "no schema"}: ` +
        `migrate the database to ${header.schema} first (npm run db:migrate, or supabase db push), then restore`,
    );
  }
  await run("psql", [
    "--dbname", url, "--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1",
    // Triggers off for this transaction only: the rows are history, not new changes.
    "--command", "set session_replication_role = replica",
    "--command", EMPTY_OUR_TABLES,
    "--file", file,
    "--command", "set session_replication_role = origin",
  ]);
}

// --- Embedded (PGlite) -----------------------------------------------------------------------

function assertNotInUse(dir: string): void {
  if (existsSync(path.join(dir, "postmaster.pid"))) {
    throw new Error(
      `The embedded database in ${dir} is open (postmaster.pid): stop the app first. ` +
        "If no app is running, the last one crashed: start and stop it once, or remove the file.",
    );
  }
}

/** PGlite's own dump of the whole data folder. */
export async function backupEmbedded(dir: string, file: string): Promise<void> {
  if (!existsSync(path.join(dir, "PG_VERSION"))) throw new Error(`No embedded database in ${dir}`);
  assertNotInUse(dir);
  const db = await openPglite({ dataDir: dir });
  let dump: Blob;
  try {
    dump = await db.dumpDataDir("gzip");
  } finally {
    await db.close();
  }
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(`${file}.partial`, Buffer.from(await dump.arrayBuffer()));
  await rename(`${file}.partial`, file);
}

/**
 * Replaces the embedded database with a backup. The current folder is kept beside it as
 * `<dir>.before-restore-<time>` (delete it once the restore is checked); on any error it is put back.
 */
export async function restoreEmbedded(dir: string, file: string): Promise<{ previous: string | null }> {
  const header = await readHeader(file);
  if (header.mode !== "embedded") throw new Error(`${file} is a Postgres backup; restore it with DATABASE_URL set`);
  assertNotInUse(dir);
  const blob = new Blob([await readFile(file)]);
  // Open it in memory first: a broken or foreign tarball fails here, before anything is moved.
  const probe = await openPglite({ loadDataDir: blob });
  try {
    await probe.query("select 1 from supabase_migrations.schema_migrations limit 1");
  } catch {
    throw new Error(`${file} does not hold a Duly ERP database`);
  } finally {
    await probe.close();
  }
  const previous = existsSync(dir) ? `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}` : null;
  if (previous) await rename(dir, previous);
  try {
    const db = await openPglite({ dataDir: dir, loadDataDir: blob });
    await db.close();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (previous) await rename(previous, dir);
    throw error;
  }
  return { previous };
}
