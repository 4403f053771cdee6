// npm run db:migrate | db:seed | db:reset — on DATABASE_URL when set, else on the embedded
// database in DATA_DIR. Never used against Supabase's hosted database: use `supabase db push`.
// Run with `--conditions=react-server` (package.json does): the storage port is a server-only
// module, and seeding writes the demo attachments' files through it.
import path from "node:path";
import { rm } from "node:fs/promises";
import pg from "pg";
import { databaseMode, env } from "@/lib/env";
import { applyShim, migrate, seed } from "@/lib/db/migrate";
import { seedDemoAttachments } from "@/lib/db-tools/seed-attachments";
import { openPglite, pgliteExecutor } from "@/lib/db/pglite";
import { clientExecutor } from "@/lib/db/postgres";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { getStorage } from "@/lib/storage";

const command = process.argv[2];
if (!["migrate", "seed", "reset"].includes(command)) {
  console.error("usage: tsx scripts/db.ts migrate|seed|reset");
  process.exit(2);
}

async function run(exec: SqlExecutor): Promise<void> {
  if (command === "reset") {
    await exec.exec(
      "drop schema if exists public cascade; create schema public; drop schema if exists private cascade; " +
        "drop schema if exists supabase_migrations cascade; drop table if exists auth.identities; drop table if exists auth.users;",
    );
  }
  await applyShim(exec);
  const applied = await migrate(exec);
  console.log(`migrations applied: ${applied.length ? applied.join(", ") : "none pending"}`);
  if (command !== "migrate") {
    const seeded = await seed(exec, { force: command === "seed" });
    console.log(seeded ? "demo data loaded" : "demo data already loaded");
    // The same store the app uses (DATA_DIR/attachments, or Supabase Storage in Supabase mode).
    const files = await seedDemoAttachments(exec, await getStorage(), { force: command === "seed" });
    console.log(`demo attachments: ${files.inserted} recorded, ${files.written} files written`);
  }
}

async function main() {
  const e = env();
  const mode = databaseMode(e);
  if (mode === "supabase" && !e.DATABASE_URL) {
    throw new Error("Supabase mode: apply migrations with `supabase db push` (or set DATABASE_URL to run them here).");
  }
  if (e.DATABASE_URL) {
    const host = new URL(e.DATABASE_URL).hostname;
    if (command === "reset" && !["localhost", "127.0.0.1", "::1", "[::1]", ""].includes(host)) {
      throw new Error(`Refusing to reset a database on ${host}: db:reset only runs against a local server.`);
    }
    const client = new pg.Client({ connectionString: e.DATABASE_URL });
    await client.connect();
    try {
      await run(clientExecutor(client));
    } finally {
      await client.end();
    }
    return;
  }
  const dir = path.resolve(e.DATA_DIR, "pglite");
  if (command === "reset") await rm(dir, { recursive: true, force: true });
  const db = await openPglite({ dataDir: dir });
  try {
    await run(pgliteExecutor(db));
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
