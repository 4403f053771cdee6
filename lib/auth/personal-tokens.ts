import "server-only";
import { SignJWT } from "jose";
import { resolveToken } from "@/lib/data/tokens";
import { databaseMode, env } from "@/lib/env";
import { log } from "@/lib/log";
import { TOKEN_PATTERN } from "@/lib/schemas/tokens";
import { bearerToken, type Credentials, type Session } from "./types";

// Personal access tokens (docs/api.md, "Tokens"). A presented `duly_pat_…` token is looked up by
// its hash (service role), and the request then runs as the token's user with claims that name
// the token (pat_id): private.session_is_live() holds every call of the request to a live token,
// as it holds a browser's calls to a live session, and the request is counted in the user's own
// rate-limit buckets like any other.

/** Lifetime of the claims minted for one request (Supabase mode signs them as a JWT). */
const CLAIMS_TTL_SECONDS = 300;

export function personalToken(creds: Credentials): string | null {
  const bearer = bearerToken(creds.authorization);
  return bearer?.startsWith("duly_pat_") ? bearer : null;
}

/** PostgREST accepts the call as the user only with a JWT signed with the project's JWT secret. */
async function supabaseAccessToken(claims: Record<string, unknown>, exp: number): Promise<string | null> {
  const secret = env().SUPABASE_JWT_SECRET;
  if (!secret) {
    log.warn("pat.supabase_jwt_secret_missing", {});
    return null;
  }
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setExpirationTime(exp).sign(new TextEncoder().encode(secret));
}

/** The session a personal access token stands for, or null when it is not a live token. */
export async function personalTokenSession(token: string, address: string | null): Promise<Session | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const found = await resolveToken(token, address);
  if (!found) return null;
  const now = Math.floor(Date.now() / 1000);
  const exp = now + CLAIMS_TTL_SECONDS;
  const claims = {
    sub: found.user_id,
    role: "authenticated" as const,
    aud: "authenticated",
    email: found.email,
    iat: now,
    exp,
    pat_id: found.token_id,
    pat_scope: found.scope,
  };
  // Embedded and Postgres modes set these claims on the transaction themselves; Supabase needs
  // them signed. The token itself is never sent to the database.
  const accessToken = databaseMode() === "supabase" ? await supabaseAccessToken(claims, exp) : "";
  if (accessToken === null) return null;
  return {
    userId: found.user_id,
    email: found.email,
    claims,
    accessToken,
    expiresAt: exp,
    pat: { id: found.token_id, scope: found.scope },
  };
}
