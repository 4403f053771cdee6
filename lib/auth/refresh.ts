import { databaseMode } from "@/lib/env";
import type { CookieToSet } from "./cookies";
import { embeddedAuth } from "./embedded-auth";
import { supabaseAuth } from "./supabase-auth";
import type { Credentials } from "./types";

/**
 * Session refresh for the proxy. Embedded: nothing but a signature check until a cookie is past
 * half its life, then one call that confirms the session is still live. Supabase: GoTrue's
 * refresh, which fails for a session that is gone.
 */
export function refreshCookies(creds: Credentials): Promise<CookieToSet[]> {
  return databaseMode() === "supabase" ? supabaseAuth.refresh(creds) : embeddedAuth.refresh(creds);
}
