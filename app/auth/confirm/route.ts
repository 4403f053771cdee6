import { appendCookies } from "@/lib/auth/cookies";
import { credentialsFrom } from "@/lib/auth/credentials";
import { openRecoverySession } from "@/lib/auth/supabase-auth";
import { databaseMode } from "@/lib/env";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

// GET /auth/confirm?token_hash=…&type=recovery — where Supabase Auth's password recovery email
// lands (supabase/templates/recovery.html; the admin's reset sends redirect_to=<origin>/auth/confirm).
// The token hash is checked by GoTrue (verifyOtp) and opens a recovery session in this browser's
// cookies; that session may only set a new password (/account/password, without the current one).
// Embedded and plain Postgres send no mail: their links are /reset-password?token=….

/** Relative, so the browser stays on the host it came by (a proxy may hide it from req.url). */
const seeOther = (location: string) => new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });

export async function GET(req: Request): Promise<Response> {
  if (databaseMode() !== "supabase") return seeOther("/login");
  const url = new URL(req.url);
  const tokenHash = url.searchParams.get("token_hash") ?? "";
  const type = url.searchParams.get("type");
  // GoTrue's token hashes are hex (SHA-224); anything else is not worth a call.
  if (type !== "recovery" || !/^[0-9a-f]{20,128}$/i.test(tokenHash)) return seeOther("/reset-password?invalid=1");
  const opened = await openRecoverySession(tokenHash, credentialsFrom(req.headers, req.url).secure).catch((error: unknown) => {
    log.warn("auth.recovery_failed", { error: error instanceof Error ? error.message : String(error) });
    return null;
  });
  if (!opened) return seeOther("/reset-password?invalid=1");
  log.info("auth.recovery_opened", { userId: opened.session.userId });
  const res = seeOther("/account/password");
  appendCookies(res.headers, opened.cookies);
  return res;
}
