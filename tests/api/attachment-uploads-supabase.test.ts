import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneStaleUploads } from "@/lib/data/attachment-uploads";
import { resetEnvCache } from "@/lib/env";
import { setStorage } from "@/lib/storage";
import { resetUploadTokenKey } from "@/lib/storage/upload-token";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { installFakeStorage, installNextWebSocket, startFakeSupabase, type FakeStorage, type FakeSupabase } from "../helpers/fake-supabase";
import { pdfOfSize, samples } from "../helpers/files";
import { openTestDatabase } from "../helpers/pglite";
import { request } from "../helpers/router";
import { testSessionId } from "../helpers/sessions";

installNextWebSocket();

// Direct uploads in Supabase mode: the route handlers with this file's embedded database as the
// database, Supabase Auth and Storage played by a loopback fake (GoTrue verifies the users'
// tokens; Storage signs upload URLs, takes one object per path within the bucket's limit and
// types, serves and deletes objects). The bytes go from the "browser" (fetch here) straight to
// the signed URL, never through the app.

const SERVICE_KEY = "service-role-key-for-upload-tests";
const GOTRUE_SECRET = new TextEncoder().encode("gotrue-secret-for-upload-tests-0123456789");
const PDF = "application/pdf";
const saved = { ...process.env };
let fake: FakeSupabase;
let storage: FakeStorage;
let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
const ids = { acmeInspection: "" };
const tokens = new Map<DemoUser, string>();

async function jwtFor(who: DemoUser): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  // In the user's standing test session (tests/helpers/sessions.ts), as GoTrue names its session.
  return new SignJWT({ role: "authenticated", email: USERS[who].email, session_id: testSessionId(USERS[who].id), app_metadata: { provider: "email" } })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`${fake.url}/auth/v1`)
    .setAudience("authenticated")
    .setSubject(USERS[who].id)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(GOTRUE_SECRET);
}

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  fake = await startFakeSupabase();
  process.env.NEXT_PUBLIC_SUPABASE_URL = fake.url;
  process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY = "anon-key-for-upload-tests";
  process.env.SUPABASE_SERVICE_ROLE_KEY = SERVICE_KEY;
  resetEnvCache();
  resetUploadTokenKey();
  setStorage(undefined);
  storage = installFakeStorage(fake, {
    serviceRoleKey: SERVICE_KEY,
    fileSizeLimit: 20 * 1024 * 1024,
    allowedMimeTypes: [PDF, "image/jpeg", "image/png", "image/webp", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
  });
  // GoTrue: GET /auth/v1/user answers for the tokens it issued (getClaims asks it for HS256 tokens).
  const { jwtVerify } = await import("jose");
  fake.on("GET", "/auth/v1/user", async (req) => {
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
    try {
      const { payload } = await jwtVerify(bearer, GOTRUE_SECRET);
      return { body: { id: payload.sub, aud: "authenticated", role: "authenticated", email: payload.email, app_metadata: {}, user_metadata: {} } };
    } catch {
      return { status: 403, body: { code: 403, error_code: "bad_jwt", msg: "invalid JWT" } };
    }
  });
  for (const who of Object.keys(USERS) as DemoUser[]) tokens.set(who, await jwtFor(who));
  const r = await db.query<{ id: string }>(
    `insert into public.inspection_applications (number, customer_id, product, factory_name, inspection_type, requested_date)
     values ('INS-SB-' || gen_random_uuid(), $1, 'Supabase monitor', 'Supabase Factory', 'pre_shipment', current_date) returning id`,
    [CUSTOMERS.acme],
  );
  ids.acmeInspection = r.rows[0].id;
});

afterAll(async () => {
  process.env = { ...saved };
  resetEnvCache();
  resetUploadTokenKey();
  setStorage(undefined);
  await fake.close();
});

const count = async (table: string) => (await db.query<{ n: number }>(`select count(*)::int as n from public.${table}`)).rows[0].n;
const signRequests = () => fake.requests.filter((r) => r.method === "POST" && r.path.startsWith("/storage/v1/object/upload/sign/")).length;

const begin = (who: DemoUser, body: Record<string, unknown>) =>
  request("POST", "/api/v1/attachments/uploads", { body: { kind: "document", content_type: PDF, ...body }, token: tokens.get(who) });
const complete = (who: DemoUser, token: string) => request("POST", `/api/v1/attachments/uploads/${token}/complete`, { token: tokens.get(who) });

/** What a browser does with the answer: PUT the bytes to the URL, with the headers, and nothing else (no session). */
const sendTo = (d: { url: string; method: string; headers: Record<string, string> }, bytes: Uint8Array<ArrayBuffer>) =>
  fetch(d.url, { method: d.method, headers: d.headers, body: bytes });

describe("direct uploads on Supabase Storage", () => {
  it("korean_team sends a 6 MB PDF straight to a signed Storage URL; complete records it; ACME downloads the same bytes", async () => {
    const bytes = pdfOfSize(6 * 1024 * 1024) as Uint8Array<ArrayBuffer>;
    bytes.set(new TextEncoder().encode("supabase direct upload"), 2048);
    const begun = await begin("korean", { inspection_id: ids.acmeInspection, kind: "report", file_name: "report.pdf", size: bytes.length });
    expect(begun.status, JSON.stringify(begun.body)).toBe(201);
    const d = begun.body.data;
    expect(d.method).toBe("PUT");
    expect(d.url).toMatch(new RegExp(`^${fake.url}/storage/v1/object/upload/sign/attachments/${CUSTOMERS.acme}/[0-9a-f-]{36}\\?token=fake-upload-`));
    expect(d.headers).toEqual({ "content-type": PDF, "x-upsert": "false" });
    // Storage was asked with the service-role key, from the server; the answer carries no key.
    const sign = fake.requests.filter((r) => r.path.startsWith("/storage/v1/object/upload/sign/")).at(-1)!;
    expect(sign.headers.authorization).toBe(`Bearer ${SERVICE_KEY}`);
    expect(JSON.stringify(begun.body)).not.toContain(SERVICE_KEY);

    const sent = await sendTo(d, bytes);
    expect(sent.status).toBe(200);
    const key = new URL(d.url).pathname.replace("/storage/v1/object/upload/sign/", "");
    expect(storage.objects.get(key)?.bytes.length).toBe(bytes.length);
    // The app's own PUT route does not exist in this mode.
    const local = await request("PUT", `/api/v1/attachments/uploads/${d.token}`, { rawBody: bytes, token: tokens.get("korean") });
    expect(local.status).toBe(404);

    const done = await complete("korean", d.token);
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body.data).toMatchObject({ customer_id: CUSTOMERS.acme, inspection_id: ids.acmeInspection, kind: "report", size_bytes: bytes.length, content_type: PDF });
    const dl = await request("GET", `/api/v1/attachments/${done.body.data.id}/download`, { token: tokens.get("acme") });
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-length")).toBe(String(bytes.length));
    expect(String(dl.body).includes("supabase direct upload")).toBe(true);

    const again = await complete("korean", d.token);
    expect(again.status).toBe(409);
    expect(storage.objects.has(key)).toBe(true);
  });

  it("a disguised executable named .pdf: Storage takes it, complete refuses it with 422, deletes the object and records nothing", async () => {
    const exe = samples.exe() as Uint8Array<ArrayBuffer>;
    const rows = await count("attachments");
    const begun = await begin("acme", { customer_id: CUSTOMERS.acme, file_name: "invoice.pdf", size: exe.length });
    expect(begun.status).toBe(201);
    expect((await sendTo(begun.body.data, exe)).status).toBe(200);
    const key = new URL(begun.body.data.url).pathname.replace("/storage/v1/object/upload/sign/", "");
    expect(storage.objects.has(key)).toBe(true);
    const done = await complete("acme", begun.body.data.token);
    expect(done.status).toBe(422);
    expect(done.body.error.code).toBe("validation_failed");
    expect(storage.objects.has(key)).toBe(false);
    expect(await count("attachments")).toBe(rows);
  });

  it("21 MB: refused when announced (nothing signed, nothing created), and by the bucket's limit when sent anyway", async () => {
    const before = { signs: signRequests(), uploads: await count("attachment_uploads"), objects: storage.objects.size };
    const big = await begin("korean", { customer_id: CUSTOMERS.acme, file_name: "big.pdf", size: 21 * 1024 * 1024 });
    expect(big.status).toBe(422);
    expect(big.body.error.message).toBe("Files can be at most 20 MB");
    expect(signRequests()).toBe(before.signs);
    expect(await count("attachment_uploads")).toBe(before.uploads);

    const begun = await begin("korean", { customer_id: CUSTOMERS.acme, file_name: "big.pdf", size: 20 * 1024 * 1024 });
    const sent = await sendTo(begun.body.data, pdfOfSize(21 * 1024 * 1024) as Uint8Array<ArrayBuffer>);
    expect(sent.status).toBe(400);
    expect(storage.objects.size).toBe(before.objects);
    expect((await complete("korean", begun.body.data.token)).status).toBe(409);
  });

  it("Blue Sky naming ACME's inspection: 404, nothing signed or created; another user's token: 404", async () => {
    const before = { signs: signRequests(), uploads: await count("attachment_uploads") };
    const other = await begin("bluesky", { inspection_id: ids.acmeInspection, file_name: "x.pdf", size: 100 });
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain(ids.acmeInspection);
    expect(signRequests()).toBe(before.signs);
    expect(await count("attachment_uploads")).toBe(before.uploads);

    const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
    const begun = await begin("acme", { customer_id: CUSTOMERS.acme, file_name: "mine.pdf", size: pdf.length });
    await sendTo(begun.body.data, pdf);
    expect((await complete("bluesky", begun.body.data.token)).status).toBe(404);
    expect((await complete("acme", begun.body.data.token)).status).toBe(201);
  });

  it("the prune job deletes the Storage object of a stale upload never completed", async () => {
    const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
    const begun = await begin("korean", { customer_id: CUSTOMERS.acme, file_name: "abandoned.pdf", size: pdf.length });
    await sendTo(begun.body.data, pdf);
    const key = new URL(begun.body.data.url).pathname.replace("/storage/v1/object/upload/sign/", "");
    expect(storage.objects.has(key)).toBe(true);
    await db.query("update public.attachment_uploads set created_at = now() - interval '4 hours' where storage_path = $1", [key.replace(/^attachments\//, "")]);
    const result = await pruneStaleUploads();
    expect(result.objects_removed).toBeGreaterThanOrEqual(1);
    expect(result.failed).toBe(0);
    expect(storage.objects.has(key)).toBe(false);
  });
});
