import path from "node:path";
import { log } from "@/lib/log";
import { getStorage } from "@/lib/storage";
import { openPglite, pgliteExecutor, prepareDatabase, PgliteTransport } from "./pglite";
import { seedDemoAttachments } from "@/lib/db-tools/seed-attachments";

/** Opens (creating, migrating and seeding on first start) the embedded database. */
export async function openEmbedded(dataDir: string, seedDemo: boolean, statementTimeoutMs?: number): Promise<PgliteTransport> {
  const dir = path.resolve(dataDir, "pglite");
  const started = Date.now();
  const db = await openPglite({ dataDir: dir });
  const exec = pgliteExecutor(db);
  const { migrated, seeded } = await prepareDatabase(exec, { seed: seedDemo });
  let files = { inserted: 0, written: 0 };
  if (seedDemo) {
    // On every start, not only the first: a demo file lost from the data folder is written again.
    // The demo files are a nicety; a store that refuses them must not keep the app from starting.
    try {
      files = await seedDemoAttachments(exec, await getStorage());
    } catch (error) {
      log.warn("database.demo_files_failed", { error: error instanceof Error ? error.message : String(error) });
    }
  }
  log.info("database.mode", { mode: "embedded", dataDir: dir, migrated: migrated.length, seeded, demoFiles: files, ms: Date.now() - started });
  return new PgliteTransport(db, { statementTimeoutMs });
}
