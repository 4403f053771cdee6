import "server-only";
import path from "node:path";
import { databaseMode, env } from "@/lib/env";
import type { StoragePort } from "./types";

// The storage port the app uses: Supabase Storage when the app runs on Supabase, else the local
// folder DATA_DIR/attachments (embedded and Postgres modes). Several servers sharing one
// Postgres must share that folder too (or run on Supabase).

const holder = globalThis as unknown as { __dulyStorage?: StoragePort };

async function createStorage(): Promise<StoragePort> {
  const e = env();
  if (databaseMode(e) === "supabase") {
    const { SupabaseStorage } = await import("./supabase");
    return new SupabaseStorage({ url: e.NEXT_PUBLIC_SUPABASE_URL!, serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY! });
  }
  const { LocalStorage } = await import("./local");
  return new LocalStorage(localStorageRoot());
}

/** Where the local store keeps files. */
export function localStorageRoot(): string {
  return path.resolve(env().DATA_DIR, "attachments");
}

export async function getStorage(): Promise<StoragePort> {
  holder.__dulyStorage ??= await createStorage();
  return holder.__dulyStorage;
}

/** Use this store instead of the one the environment selects (tests, scripts). */
export function setStorage(storage: StoragePort | undefined): void {
  holder.__dulyStorage = storage;
}

export type { StoragePort, StoredObject } from "./types";
