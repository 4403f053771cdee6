import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { sessionSecret } from "@/lib/auth/embedded-session";
import { databaseMode, env } from "@/lib/env";

// The token of a direct upload (POST /api/v1/attachments/uploads): names the upload and the user
// who began it, until when, signed with HMAC-SHA256. It travels in URLs, so it carries ids and a
// time only, never a path or a name. The database row stays the authority (status, owner); the
// signature only lets the app refuse forged or stale tokens before asking the database.
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

function sign(payload: string, k: Buffer): string {
  return createHmac("sha256", k).update(payload).digest("base64url");
}

export async function signUploadToken(claims: UploadTokenClaims): Promise<string> {
  const payload = Buffer.from(JSON.stringify({ u: claims.uploadId, s: claims.userId, e: claims.exp })).toString("base64url");
  return `${payload}.${sign(payload, await key())}`;
}

/**
 * Whether a token is one we signed and, with `graceSeconds`, still within its time. The claims
 * are returned only when the signature holds.
 */
export async function verifyUploadToken(token: string, now = Date.now(), graceSeconds = 0): Promise<UploadTokenCheck> {
  const m = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(sign(m[1], await key()));
  const given = Buffer.from(m[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "forged" };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(m[1], "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const { u, s, e } = (raw ?? {}) as { u?: unknown; s?: unknown; e?: unknown };
  if (typeof u !== "string" || !UUID.test(u) || typeof s !== "string" || !UUID.test(s) || typeof e !== "number" || !Number.isInteger(e)) {
    return { ok: false, reason: "malformed" };
  }
  const claims = { uploadId: u, userId: s, exp: e };
  if (now / 1000 > e + graceSeconds) return { ok: false, reason: "expired", claims };
  return { ok: true, claims };
}
