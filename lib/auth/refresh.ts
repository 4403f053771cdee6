import { databaseMode } from "@/lib/env";
import type { CookieToSet } from "./cookies";
import { refreshSession } from "./embedded-session";
import { supabaseAuth } from "./supabase-auth";
import type { Credentials } from "./types";

/** Session refresh for the proxy: no database access, only the session itself. */
export function refreshCookies(creds: Credentials): Promise<CookieToSet[]> {
  return databaseMode() === "supabase" ? supabaseAuth.refresh(creds) : refreshSession(creds);
}
