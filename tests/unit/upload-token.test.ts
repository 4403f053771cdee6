import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { resetUploadTokenKey, signUploadToken, verifyUploadToken, type UploadTokenCheck } from "@/lib/storage/upload-token";

// The direct-upload token: ids and a deadline in an HS256 JWT, signed with a key derived from the
// deployment's shared secret (AUTH_JWT_SECRET in the unit project's env; the service-role key on
// Supabase without one). Forged, malformed and stale tokens are told apart.

const UPLOAD = "d0000000-0000-4000-8000-000000000001";
const USER = "a0000000-0000-4000-8000-000000000005";
const now = Date.now();
const exp = Math.floor(now / 1000) + 1800;
const saved = { ...process.env };
const reasonOf = (check: UploadTokenCheck) => (check.ok ? "ok" : check.reason);

afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
  resetUploadTokenKey();
});

describe("upload tokens", () => {
  it("verifies what it signed, with its claims", async () => {
    const token = await signUploadToken({ uploadId: UPLOAD, userId: USER, exp });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyUploadToken(token, now)).toEqual({ ok: true, claims: { uploadId: UPLOAD, userId: USER, exp } });
  });

  it("refuses a changed payload or signature, and a signature made with the session secret itself", async () => {
    const token = await signUploadToken({ uploadId: UPLOAD, userId: USER, exp });
    const [header, payload, sig] = token.split(".");
    const longer = Buffer.from(JSON.stringify({ upload_id: UPLOAD, sub: USER, exp: exp + 86400 })).toString("base64url");
    expect(reasonOf(await verifyUploadToken(`${header}.${longer}.${sig}`, now))).toBe("forged");
    expect(reasonOf(await verifyUploadToken(`${header}.${payload}.${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`, now))).toBe("forged");
    // The session secret itself (no purpose derivation) does not sign upload tokens.
    const raw = await new SignJWT({ upload_id: UPLOAD })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(USER)
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(process.env.AUTH_JWT_SECRET!));
    expect(reasonOf(await verifyUploadToken(raw, now))).toBe("forged");
  });

  it("tells malformed tokens apart, and claims of the wrong shape", async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ upload_id: UPLOAD, sub: USER, exp })).toString("base64url")}.`;
    for (const bad of ["", "abc", "a.b", `${"x".repeat(500)}.${"y".repeat(43)}`, "x.y.z", unsigned]) {
      expect(reasonOf(await verifyUploadToken(bad, now)), bad).toBe("malformed");
    }
    const weird = await signUploadToken({ uploadId: "not-a-uuid", userId: USER, exp });
    expect(reasonOf(await verifyUploadToken(weird, now))).toBe("malformed");
  });

  it("is stale after its deadline, unless within the grace given", async () => {
    const token = await signUploadToken({ uploadId: UPLOAD, userId: USER, exp });
    const after = (exp + 10) * 1000;
    expect(await verifyUploadToken(token, after)).toEqual({ ok: false, reason: "expired", claims: { uploadId: UPLOAD, userId: USER, exp } });
    expect((await verifyUploadToken(token, after, 3600)).ok).toBe(true);
    expect(reasonOf(await verifyUploadToken(token, (exp + 3601) * 1000, 3600))).toBe("expired");
  });

  it("on Supabase without AUTH_JWT_SECRET, signs with a key derived from the service-role key (the same on every instance)", async () => {
    delete process.env.AUTH_JWT_SECRET;
    process.env.NEXT_PUBLIC_SUPABASE_URL = "http://127.0.0.1:1";
    process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY = "anon";
    process.env.SUPABASE_SERVICE_ROLE_KEY = "service-role-key-one";
    resetEnvCache();
    resetUploadTokenKey();
    const token = await signUploadToken({ uploadId: UPLOAD, userId: USER, exp });
    resetUploadTokenKey();
    expect(reasonOf(await verifyUploadToken(token, now))).toBe("ok");
    process.env.SUPABASE_SERVICE_ROLE_KEY = "service-role-key-two";
    resetEnvCache();
    resetUploadTokenKey();
    expect(reasonOf(await verifyUploadToken(token, now))).toBe("forged");
  });
});
