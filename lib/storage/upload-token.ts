import "server-only";
import { createHmac } from "node:crypto";
import { errors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { sessionSecret } from "@/lib/auth/embedded-session";
import { databaseMode, env } from "@/lib/env";

// The token of a direct upload (POST /api/v1/attachments/uploads): names the upload and the user
// who began it, until when: an HS256 JWT (jose, as for sessions). It travels in URLs, so it
// carries ids and a time only, never a path or a name. The database row stays the authority
// (status, owner); the signature only lets the app refuse forged or stale tokens before asking
// the database.
//
// The key is derived for this one purpose from a secret every server of a deployment shares:
// AUTH_JWT_SECRET (or the embedded session secret kept in DATA_DIR) when the app signs its own
// sessions; on Supabase, where sessions are Supabase's, AUTH_JWT_SECRET when set, else the
// service-role key (server only, the same on every instance; a DATA_DIR file would not be).

const PURPOSE = "duly attachment upload token v1";

export type UploadTokenClaims = { uploadId: string; userId: string; /** Unix seconds. */ exp: number };

export type UploadTokenCheck =
  | { ok: true; claims: UploadTokenClaims }
  | { ok: false; reason: "malformed" | "forged" | "expired"; claims?: UploadTokenClaims };

let keyPromise: Promise<Buffer> | undefined;

async function baseSecret(): Promise<Uint8Array> {
  const e = env();
  if (databaseMode(e) === "supabase") {
    return new TextEncoder().encode(e.AUTH_JWT_SECRET ?? e.SUPABASE_SERVICE_ROLE_KEY!);
  }
  return sessionSecret();
}

function key(): Promise<Buffer> {
  keyPromise ??= baseSecret()
    .then((secret) => createHmac("sha256", secret).update(PURPOSE).digest())
    .catch((error: unknown) => {
      keyPromise = undefined;
      throw error;
    });
  return keyPromise;
}

/** Forget the derived key (tests that switch modes or secrets). */
export function resetUploadTokenKey(): void {
  keyPromise = undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The claims of a verified token, or null when they are not of the shape this file signs. */
function claimsOf(payload: JWTPayload | undefined): UploadTokenClaims | null {
  const { upload_id: u, sub: s, exp: e } = (payload ?? {}) as JWTPayload & { upload_id?: unknown };
  if (typeof u !== "string" || !UUID.test(u) || typeof s !== "string" || !UUID.test(s) || typeof e !== "number" || !Number.isInteger(e)) {
    return null;
  }
  return { uploadId: u, userId: s, exp: e };
}

export async function signUploadToken(claims: UploadTokenClaims): Promise<string> {
  return new SignJWT({ upload_id: claims.uploadId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.userId)
    .setExpirationTime(claims.exp)
    .sign(await key());
}

/**
 * Whether a token is one we signed and, with `graceSeconds`, still within its time. The claims
 * are returned only when the signature holds (jose checks it before the times).
 */
export async function verifyUploadToken(token: string, now = Date.now(), graceSeconds = 0): Promise<UploadTokenCheck> {
  try {
    const { payload } = await jwtVerify(token, await key(), { algorithms: ["HS256"], currentDate: new Date(now), clockTolerance: graceSeconds });
    const claims = claimsOf(payload);
    return claims ? { ok: true, claims } : { ok: false, reason: "malformed" };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      const claims = claimsOf(error.payload);
      return claims ? { ok: false, reason: "expired", claims } : { ok: false, reason: "malformed" };
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: "forged" };
    if (error instanceof errors.JOSEError) return { ok: false, reason: "malformed" };
    throw error;
  }
}
