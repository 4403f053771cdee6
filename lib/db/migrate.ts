import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlExecutor } from "./sql-executor";

// Applies supabase/migrations/*.sql in order and records them in
// supabase_migrations.schema_migrations, as `supabase db push` does, so a database migrated here
// and one migrated by the Supabase CLI agree on what has been applied.

// Read at run time from the project folder (not bundled): turbopackIgnore keeps the build from
// tracing the whole project.
export const SUPABASE_DIR = path.join(/* turbopackIgnore: true */ process.cwd(), "supabase");
const MIGRATIONS_DIR = path.join(SUPABASE_DIR, "migrations");
const MIGRATION_FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export type Migration = { version: string; name: string; file: string };

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(/* turbopackIgnore: true */ dir)).filter((f) => f.endsWith(".sql")).sort();
  return files.map((file) => {
    const m = MIGRATION_FILE.exec(file);
    if (!m) throw new Error(`Migration file name must be <14-digit version>_<name>.sql: ${file}`);
    return { version: m[1], name: m[2], file: path.join(dir, file) };
  });
}

export async function applyShim(db: SqlExecutor): Promise<void> {
  await db.exec(await readFile(path.join(SUPABASE_DIR, "shim.sql"), "utf8"));
}

/** Applies pending migrations, each in its own transaction. Returns the versions applied. */
export async function migrate(db: SqlExecutor, dir = MIGRATIONS_DIR): Promise<string[]> {
  const applied = new Set(
    (await db.query<{ version: string }>("select version from supabase_migrations.schema_migrations")).map((r) => r.version),
  );
  const done: string[] = [];
  for (const m of await listMigrations(dir)) {
    if (applied.has(m.version)) continue;
    const sql = await readFile(m.file, "utf8");
    await db.exec("begin");
    try {
      // A second migrator waits here and then finds the version applied.
      await db.query("select pg_advisory_xact_lock(7361523)");
      const again = await db.query("select 1 from supabase_migrations.schema_migrations where version = $1", [m.version]);
      if (again.length === 0) {
        await db.exec(sql);
        await db.query("insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)", [
          m.version,
          m.name,
          [sql],
        ]);
        done.push(m.version);
      }
      await db.exec("commit");
    } catch (error) {
      await db.exec("rollback");
      throw new Error(`Migration ${m.version}_${m.name} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return done;
}

/** Loads supabase/seed.sql once (recorded by hash in supabase_migrations.seed_files). */
export async function seed(db: SqlExecutor, opts: { force?: boolean } = {}): Promise<boolean> {
  const file = path.join(SUPABASE_DIR, "seed.sql");
  const sql = await readFile(file, "utf8");
  const hash = createHash("sha256").update(sql).digest("hex");
  const seen = await db.query("select 1 from supabase_migrations.seed_files where path = 'supabase/seed.sql'");
  if (seen.length > 0 && !opts.force) return false;
  await db.exec("begin");
  try {
    await db.exec(sql);
    await db.query(
      "insert into supabase_migrations.seed_files (path, hash) values ('supabase/seed.sql', $1) on conflict (path) do update set hash = excluded.hash",
      [hash],
    );
    await db.exec("commit");
  } catch (error) {
    await db.exec("rollback");
    throw new Error(`Seeding failed: ${(error as Error).message}`, { cause: error });
  }
  return true;
}

export async function latestMigrationVersion(dir = MIGRATIONS_DIR): Promise<string> {
  const all = await listMigrations(dir);
  return all.at(-1)?.version ?? "none";
}
