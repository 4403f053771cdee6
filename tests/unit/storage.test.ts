import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStorage } from "@/lib/storage/local";
import { SupabaseStorage } from "@/lib/storage/supabase";
import type { StoragePort } from "@/lib/storage/types";
import { startFakeSupabase, type FakeSupabase } from "../helpers/fake-supabase";

// The two implementations of the storage port: the local folder (embedded and Postgres modes)
// on a temporary directory, and Supabase Storage against a fake Storage API on loopback.

const CUSTOMER = "c0000000-0000-4000-8000-000000000001";
const objectPath = () => `${CUSTOMER}/${crypto.randomUUID()}`;
const bytes = new TextEncoder().encode("%PDF-1.4 hello");
const text = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

describe("LocalStorage", () => {
  let dir = "";
  let store: StoragePort;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "duly-storage-"));
    store = new LocalStorage(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("puts, streams, reads and removes a file under <customer>/<uuid>", async () => {
    const p = objectPath();
    await store.put(p, bytes, "application/pdf");
    expect(await readdir(path.join(dir, CUSTOMER))).toEqual([p.split("/")[1]]);
    const got = await store.get(p);
    expect(got?.size).toBe(bytes.length);
    expect(await text(got!.stream)).toBe("%PDF-1.4 hello");
    expect(await store.getBytes(p)).toEqual(bytes);
    await store.remove(p);
    expect(await store.get(p)).toBeNull();
    expect(await store.getBytes(p)).toBeNull();
    await expect(store.remove(p)).resolves.toBeUndefined();
  });

  it("never overwrites a stored file and leaves no partial file behind", async () => {
    const p = objectPath();
    await store.put(p, bytes, "application/pdf");
    await expect(store.put(p, new TextEncoder().encode("other"), "application/pdf")).rejects.toThrow();
    expect(await store.getBytes(p)).toEqual(bytes);
    expect((await readdir(path.join(dir, CUSTOMER))).filter((f) => f.includes(".partial"))).toEqual([]);
  });

  it("putStream stores a stream up to its limit, refuses past it leaving no partial file, never overwrites", async () => {
    const local = store as LocalStorage;
    const streamOf = (...parts: string[]) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (const p of parts) c.enqueue(new TextEncoder().encode(p));
          c.close();
        },
      });
    const p = objectPath();
    expect(await local.putStream(p, streamOf("%PDF-", "1.4 hello"), 14)).toEqual({ ok: true, size: 14 });
    expect(await store.getBytes(p)).toEqual(bytes);
    expect(await local.putStream(p, streamOf("other"), 14)).toEqual({ ok: false, reason: "exists" });
    expect(await store.getBytes(p)).toEqual(bytes);
    const big = objectPath();
    expect(await local.putStream(big, streamOf("12345", "67890", "X"), 10)).toEqual({ ok: false, reason: "too_large" });
    expect(await store.get(big)).toBeNull();
    expect((await readdir(path.join(dir, CUSTOMER))).filter((f) => f.includes(".partial"))).toEqual([]);
    const cut = objectPath();
    const broken = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode("%PDF-"));
        c.error(new Error("client went away"));
      },
    });
    expect(await local.putStream(cut, broken, 100)).toEqual({ ok: false, reason: "aborted" });
    expect(await store.get(cut)).toBeNull();
    expect((await readdir(path.join(dir, CUSTOMER))).filter((f) => f.includes(".partial"))).toEqual([]);
    expect(await local.signedUploadUrl()).toBeNull();
  });

  it("refuses any path it did not generate (no way out of the folder)", async () => {
    for (const bad of ["../../etc/passwd", `${CUSTOMER}/../x`, "/etc/passwd", `${CUSTOMER}`]) {
      await expect(store.put(bad, bytes, "application/pdf"), bad).rejects.toThrow("Invalid storage path");
      await expect(store.get(bad), bad).rejects.toThrow("Invalid storage path");
      await expect(store.remove(bad), bad).rejects.toThrow("Invalid storage path");
    }
  });
});

describe("SupabaseStorage", () => {
  let fake: FakeSupabase;
  let store: SupabaseStorage;
  beforeAll(async () => {
    fake = await startFakeSupabase();
    store = new SupabaseStorage({ url: fake.url, serviceRoleKey: "service-key" });
  });
  afterAll(() => fake.close());

  it("uploads to the private bucket with the service key, never overwriting", async () => {
    const p = objectPath();
    fake.on("POST", `/storage/v1/object/attachments/${p}`, { status: 200, body: { Key: `attachments/${p}` } });
    await store.put(p, bytes, "application/pdf");
    const req = fake.requests.at(-1)!;
    expect(req.headers.authorization).toBe("Bearer service-key");
    expect(req.headers.apikey).toBe("service-key");
    expect(req.headers["x-upsert"]).toBe("false");
    expect(req.headers["content-type"]).toBe("application/pdf");
    expect(req.body).toBe("%PDF-1.4 hello");
  });

  it("downloads as a stream, and a missing object (404 or Storage's 400 not_found) is null", async () => {
    const p = objectPath();
    fake.on("GET", `/storage/v1/object/authenticated/attachments/${p}`, {
      status: 200,
      body: "%PDF-1.4 hello",
      headers: { "Content-Type": "application/pdf", "Content-Length": String(bytes.length) },
    });
    const got = await store.get(p);
    expect(got?.size).toBe(bytes.length);
    expect(await text(got!.stream)).toBe("%PDF-1.4 hello");
    const gone = objectPath();
    fake.on("GET", `/storage/v1/object/authenticated/attachments/${gone}`, { status: 400, body: { statusCode: "404", error: "not_found" } });
    expect(await store.get(gone)).toBeNull();
    expect(await store.get(objectPath())).toBeNull(); // the fake's 404
  });

  it("removes by prefix list; signs short-lived URLs", async () => {
    const p = objectPath();
    fake.on("DELETE", "/storage/v1/object/attachments", { status: 200, body: [] });
    await store.remove(p);
    expect(fake.requests.at(-1)!.json).toEqual({ prefixes: [p] });
    fake.on("POST", `/storage/v1/object/sign/attachments/${p}`, { status: 200, body: { signedURL: `/object/sign/attachments/${p}?token=t` } });
    expect(await store.signedUrl(p, 60)).toBe(`${fake.url}/storage/v1/object/sign/attachments/${p}?token=t`);
    expect(fake.requests.at(-1)!.json).toEqual({ expiresIn: 60 });
  });

  it("asks Storage for a signed upload URL (as storage-js createSignedUploadUrl does) and gives the client its PUT headers", async () => {
    const p = objectPath();
    fake.on("POST", `/storage/v1/object/upload/sign/attachments/${p}`, { status: 200, body: { url: `/object/upload/sign/attachments/${p}?token=upload-token` } });
    expect(await store.signedUploadUrl(p, "application/pdf")).toEqual({
      url: `${fake.url}/storage/v1/object/upload/sign/attachments/${p}?token=upload-token`,
      headers: { "content-type": "application/pdf", "x-upsert": "false" },
    });
    const req = fake.requests.at(-1)!;
    expect(req.headers.authorization).toBe("Bearer service-key");
    expect(req.headers["x-upsert"]).toBeUndefined();
    const none = objectPath();
    fake.on("POST", `/storage/v1/object/upload/sign/attachments/${none}`, { status: 200, body: { url: `/object/upload/sign/attachments/${none}` } });
    await expect(store.signedUploadUrl(none, "application/pdf")).rejects.toThrow("no token returned");
    const refused = objectPath();
    fake.on("POST", `/storage/v1/object/upload/sign/attachments/${refused}`, { status: 400, body: { statusCode: "409", error: "Duplicate", message: "exists" } });
    await expect(store.signedUploadUrl(refused, "application/pdf")).rejects.toThrow("Supabase Storage sign upload failed: 400 Duplicate");
  });

  it("fails loudly on errors, without echoing the response body", async () => {
    const p = objectPath();
    fake.on("POST", `/storage/v1/object/attachments/${p}`, { status: 409, body: { error: "Duplicate", message: `secret ${p}` } });
    await expect(store.put(p, bytes, "application/pdf")).rejects.toThrow("Supabase Storage upload failed: 409 Duplicate");
    await expect(store.put("../x", bytes, "application/pdf")).rejects.toThrow("Invalid storage path");
  });
});
