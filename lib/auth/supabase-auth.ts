import { createServerClient } from "@supabase/ssr";
import { env } from "@/lib/env";
import type { JwtClaims } from "@/lib/db/types";
import type { CookieToSet } from "./cookies";
import { bearerToken, type AuthPort, type Credentials, type Session, type SignInResult } from "./types";

// Supabase Auth through @supabase/ssr: cookie sessions it manages and refreshes; trust only
// verified claims (getClaims), never an unverified getSession().

function serverClient(creds: Credentials, sink: CookieToSet[]) {
  const e = env();
  return createServerClient(e.NEXT_PUBLIC_SUPABASE_URL!, e.NEXT_PUBLIC_SUPABASE_ANON_KEY!, {
    // @supabase/ssr defaults to httpOnly: false (for browser clients); only the server reads ours.
    cookieOptions: { httpOnly: true },
    cookies: {
      getAll: () => [...creds.cookies].map(([name, value]) => ({ name, value })),
      setAll: (cookies) => {
        for (const c of cookies) {
          sink.push({
            name: c.name,
            value: c.value,
            options: {
              httpOnly: c.options?.httpOnly ?? true,
              secure: c.options?.secure ?? creds.secure,
              sameSite: (typeof c.options?.sameSite === "string" ? c.options.sameSite : "lax") as "lax" | "strict" | "none",
              path: c.options?.path ?? "/",
              maxAge: c.options?.maxAge,
            },
          });
        }
      },
    },
  });
}

function toSession(claims: Record<string, unknown>, accessToken: string): Session | null {
  if (typeof claims.sub !== "string" || claims.role !== "authenticated") return null;
  return {
    userId: claims.sub,
    email: typeof claims.email === "string" ? claims.email : null,
    claims: claims as unknown as JwtClaims,
    accessToken,
    expiresAt: typeof claims.exp === "number" ? claims.exp : 0,
  };
}

/**
 * Opens the session of a password recovery link (Supabase Auth's email, its template linking to
 * /auth/confirm?token_hash=…&type=recovery): GoTrue checks the one-time token hash and answers a
 * session whose `amr` says "recovery"; @supabase/ssr writes it to the cookies. Null when the link
 * is not valid (used, expired, or not a recovery link).
 */
export async function openRecoverySession(tokenHash: string, secure: boolean): Promise<SignInResult | null> {
  const sink: CookieToSet[] = [];
  const supabase = serverClient({ cookies: new Map(), authorization: null, secure }, sink);
  const { data, error } = await supabase.auth.verifyOtp({ type: "recovery", token_hash: tokenHash });
  if (error || !data.session) return null;
  const { data: verified } = await supabase.auth.getClaims(data.session.access_token);
  const session = verified?.claims ? toSession(verified.claims as Record<string, unknown>, data.session.access_token) : null;
  return session ? { session, cookies: sink } : null;
}

export const supabaseAuth: AuthPort = {
  async signIn(email, password, secure) {
    const sink: CookieToSet[] = [];
    const supabase = serverClient({ cookies: new Map(), authorization: null, secure }, sink);
    const { data, error } = await supabase.auth.signInWithPassword({ email, password });
    if (error || !data.session) return null;
    const { data: verified } = await supabase.auth.getClaims(data.session.access_token);
    const session = verified?.claims ? toSession(verified.claims as Record<string, unknown>, data.session.access_token) : null;
    return session ? { session, cookies: sink } : null;
  },

  async signOut(creds, scope = "local") {
    const sink: CookieToSet[] = [];
    const supabase = serverClient(creds, sink);
    const bearer = bearerToken(creds.authorization);
    // GoTrue's /logout with the user's own token deletes the session rows; a Bearer client has
    // no cookie session for @supabase/ssr to end, so its token is sent as it is.
    if (bearer) await supabase.auth.admin.signOut(bearer, scope);
    else await supabase.auth.signOut({ scope });
    return sink;
  },

  async verify(creds) {
    const sink: CookieToSet[] = [];
    const supabase = serverClient(creds, sink);
    const bearer = bearerToken(creds.authorization);
    if (bearer) {
      const { data } = await supabase.auth.getClaims(bearer);
      return data?.claims ? toSession(data.claims as Record<string, unknown>, bearer) : null;
    }
    const { data } = await supabase.auth.getClaims();
    if (!data?.claims) return null;
    // The token itself is needed to call PostgREST as this user; its claims were verified above.
    const { data: current } = await supabase.auth.getSession();
    return current.session ? toSession(data.claims as Record<string, unknown>, current.session.access_token) : null;
  },

  async refresh(creds) {
    const sink: CookieToSet[] = [];
    await serverClient(creds, sink).auth.getClaims();
    return sink;
  },
};
