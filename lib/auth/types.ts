import type { JwtClaims } from "@/lib/db/types";
import type { CookieToSet } from "./cookies";

/** What a request carries that may prove who it is. */
export type Credentials = {
  cookies: Map<string, string>;
  authorization: string | null;
  secure: boolean;
  /** The client's address where it is known (a personal access token records where it is used from). */
  address?: string | null;
};

/** A verified session: the user's id, their claims, and the token that proves them. */
export type Session = {
  userId: string;
  email: string | null;
  claims: JwtClaims;
  accessToken: string;
  expiresAt: number;
  /** Set when the request came with a personal access token instead of a session. */
  pat?: { id: string; scope: "read" | "read_write" };
};

export type SignInResult = { session: Session; cookies: CookieToSet[] };

/** Which sessions a sign-out ends, as GoTrue's /logout: this one, the user's others, or all. */
export type SignOutScope = "local" | "others" | "global";

/** The auth port: Supabase Auth in production, passwords in SQL and a signed cookie when embedded. */
export interface AuthPort {
  /** Null when the email or password is wrong (never says which). */
  signIn(email: string, password: string, secure: boolean): Promise<SignInResult | null>;
  /** Ends sessions at the auth service (default: this one) and clears this client's cookies. */
  signOut(creds: Credentials, scope?: SignOutScope): Promise<CookieToSet[]>;
  verify(creds: Credentials): Promise<Session | null>;
  /** Cookies that keep a live session alive (sliding refresh); empty when nothing changes, cleared for a revoked one. */
  refresh(creds: Credentials): Promise<CookieToSet[]>;
}

export function bearerToken(authorization: string | null): string | null {
  if (!authorization) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  return m ? m[1] : null;
}
