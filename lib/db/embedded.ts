import path from "node:path";
import { log } from "@/lib/log";
import { openPglite, pgliteExecutor, prepareDatabase, PgliteTransport } from "./pglite";

/** Opens (creating, migrating and seeding on first start) the embedded database. */
export async function openEmbedded(dataDir: string, seedDemo: boolean): Promise<PgliteTransport> {
  const dir = path.resolve(dataDir, "pglite");
  const started = Date.now();
  const db = await openPglite({ dataDir: dir });
  const { migrated, seeded } = await prepareDatabase(pgliteExecutor(db), { seed: seedDemo });
  log.info("database.mode", { mode: "embedded", dataDir: dir, migrated: migrated.length, seeded, ms: Date.now() - started });
  return new PgliteTransport(db);
}
