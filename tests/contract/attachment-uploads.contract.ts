import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fnAttachmentUploadComplete, fnAttachmentUploadFail, fnAttachmentUploadGet, pruneStaleUploads } from "@/lib/data/attachment-uploads";
import { call, service } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { localStorageRoot, setStorage } from "@/lib/storage";
import { MAX_FILE_BYTES } from "@/lib/storage/file-type";
import { resetUploadTokenKey, signUploadToken } from "@/lib/storage/upload-token";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, DEMO_PASSWORD, USERS, type DemoUser } from "../helpers/demo";
import { pdfOfSize, samples } from "../helpers/files";
import { client, request, tokenFor } from "../helpers/router";
import { as } from "../helpers/as";
import { sqlAs } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// Direct uploads (POST /api/v1/attachments/uploads, PUT the bytes to the URL it gives,
// POST …/:token/complete) in the local-folder modes, through the route handlers on PGlite
// and real Postgres:
// the same permission and ownership rules as a multipart upload, both ways; content checked on
// the stored bytes with nothing left of a refused file; tokens bound to their user and upload,
// single use, refused when forged or stale; the prune job removing what was never completed.

type Target = { inspection_id?: string; customer_id?: string; kind?: string; internal?: boolean };
type Announce = { file_name: string; content_type?: string; size: number };

const PDF = "application/pdf";

function describeDirectUploads(makeDb: MakeDb) {
  describe("direct uploads (local folder)", () => {
    const getDb = databaseForSuite(makeDb);
    const q = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => getDb().query<T>(sql, params);
    const ids = { acmeInspection: "", blueskyInspection: "" };
    let dataDir = "";
    let root = "";
    const previousDataDir = process.env.DATA_DIR;

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), "duly-direct-uploads-"));
      process.env.DATA_DIR = dataDir;
      resetEnvCache();
      resetUploadTokenKey();
      setStorage(undefined);
      root = localStorageRoot();
      for (const [key, customer] of [["acmeInspection", CUSTOMERS.acme], ["blueskyInspection", CUSTOMERS.bluesky]] as const) {
        const [row] = await q<{ id: string }>(
          `insert into public.inspection_applications (number, customer_id, product, factory_name, inspection_type, requested_date)
           values ('INS-UP-' || gen_random_uuid(), $1, 'Upload monitor', 'Upload Factory', 'pre_shipment', current_date) returning id`,
          [customer],
        );
        ids[key] = row.id;
      }
    });

    afterAll(async () => {
      setStorage(undefined);
      if (previousDataDir === undefined) delete process.env.DATA_DIR;
      else process.env.DATA_DIR = previousDataDir;
      resetEnvCache();
      resetUploadTokenKey();
      await rm(dataDir, { recursive: true, force: true });
    });

    async function storedFiles(): Promise<string[]> {
      try {
        return (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
    }
    const count = async (table: string) => (await q<{ n: number }>(`select count(*)::int as n from public.${table}`))[0].n;

    /** Runs `work` and checks that it left no attachment, no upload row and no file behind. */
    async function createsNothing(work: () => Promise<void>): Promise<void> {
      const before = { attachments: await count("attachments"), uploads: await count("attachment_uploads"), files: await storedFiles() };
      await work();
      expect(await count("attachments")).toBe(before.attachments);
      expect(await count("attachment_uploads")).toBe(before.uploads);
      expect(await storedFiles()).toEqual(before.files);
    }

    /** Runs `work` and checks that it left no attachment and no file behind. */
    async function storesNothing(work: () => Promise<void>): Promise<void> {
      const before = { attachments: await count("attachments"), files: await storedFiles() };
      await work();
      expect(await count("attachments")).toBe(before.attachments);
      expect(await storedFiles()).toEqual(before.files);
    }

    const begin = async (who: DemoUser | null, target: Target, file: Announce, headers?: Record<string, string>) =>
      request("POST", "/api/v1/attachments/uploads", {
        body: { kind: "document", content_type: PDF, ...target, ...file },
        headers,
        token: who ? await tokenFor(who) : undefined,
      });
    const put = async (who: DemoUser | null, url: string, bytes: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>, headers?: Record<string, string>) =>
      request("PUT", url, { rawBody: bytes, headers, token: who ? await tokenFor(who) : undefined });
    const complete = async (who: DemoUser | null, token: string, headers?: Record<string, string>) =>
      request("POST", `/api/v1/attachments/uploads/${token}/complete`, { headers, token: who ? await tokenFor(who) : undefined });

    /** begin → PUT → complete, as one user; returns every answer. */
    async function fullUpload(who: DemoUser, target: Target, file: { name: string; bytes: Uint8Array<ArrayBuffer>; type?: string }) {
      const begun = await begin(who, target, { file_name: file.name, content_type: file.type ?? PDF, size: file.bytes.length });
      expect(begun.status, JSON.stringify(begun.body)).toBe(201);
      const sent = await put(who, begun.body.data.url, file.bytes, begun.body.data.headers);
      const done = await complete(who, begun.body.data.token);
      return { begun, sent, done, token: begun.body.data.token as string };
    }

    const statusOf = async (uploadTokenOrId: string) =>
      (await q<{ status: string }>("select status from public.attachment_uploads where id = $1", [uploadTokenOrId]))[0]?.status;
    const uploadIdOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).upload_id as string;

    describe("the whole path", () => {
      it("korean_team sends a 6 MB PDF report for an ACME inspection: begin, PUT, complete, download the same bytes", async () => {
        const bytes = pdfOfSize(6 * 1024 * 1024) as Uint8Array<ArrayBuffer>;
        bytes.set(new TextEncoder().encode("direct upload marker"), 1024);
        const before = await storedFiles();
        const begun = await begin("korean", { inspection_id: ids.acmeInspection, kind: "report" }, { file_name: "검사 보고서.pdf", size: bytes.length });
        expect(begun.status, JSON.stringify(begun.body)).toBe(201);
        const d = begun.body.data;
        expect(Object.keys(d).sort()).toEqual(["expires_at", "headers", "method", "token", "url"]);
        expect(d.method).toBe("PUT");
        // A same-origin path: the browser resolves it against the page it is on, whatever the host.
        expect(d.url).toBe(`/api/v1/attachments/uploads/${d.token}`);
        expect(d.headers).toEqual({ "content-type": PDF });
        const ttl = Date.parse(d.expires_at) - Date.now();
        expect(ttl).toBeGreaterThan(25 * 60_000);
        expect(ttl).toBeLessThanOrEqual(30 * 60_000);
        expect(JSON.stringify(begun.body)).not.toContain(CUSTOMERS.acme); // no storage path in the answer
        expect(await storedFiles()).toEqual(before);

        const sent = await put("korean", d.url, bytes, d.headers);
        expect(sent.status, JSON.stringify(sent.body)).toBe(200);
        expect(sent.body.data).toEqual({ size_bytes: bytes.length });
        expect(await count("attachments")).toBeGreaterThanOrEqual(0);
        const added = (await storedFiles()).filter((f) => !before.includes(f));
        expect(added).toHaveLength(1);
        expect(path.relative(root, added[0]).split(path.sep)[0]).toBe(CUSTOMERS.acme);

        const done = await complete("korean", d.token);
        expect(done.status, JSON.stringify(done.body)).toBe(201);
        expect(done.body.data).toMatchObject({
          customer_id: CUSTOMERS.acme,
          inspection_id: ids.acmeInspection,
          kind: "report",
          file_name: "검사 보고서.pdf",
          content_type: PDF,
          size_bytes: bytes.length,
          internal: false,
          uploaded_by: USERS.korean.id,
        });
        expect(done.body.data).not.toHaveProperty("storage_path");
        expect(await statusOf(uploadIdOf(d.token))).toBe("completed");

        const [row] = await q<{ sha256: string; storage_path: string }>("select sha256, storage_path from public.attachments where id = $1", [done.body.data.id]);
        expect(row.storage_path).toBe(path.relative(root, added[0]).split(path.sep).join("/"));
        const { createHash } = await import("node:crypto");
        expect(row.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));

        const dl = await client("acme").get(`/api/v1/attachments/${done.body.data.id}/download`);
        expect(dl.status).toBe(200);
        expect(dl.headers.get("content-length")).toBe(String(bytes.length));
        // Compared as buffers: a deep toEqual over six million elements takes minutes.
        expect((await readFile(added[0])).equals(Buffer.from(bytes))).toBe(true);
      });

      it("behind a proxy (or on 127.0.0.1, a LAN name): a browser session on the public origin begins, PUTs to the path it got, completes; another origin is refused", async () => {
        const login = await request("POST", "/api/v1/auth/login", { body: { email: USERS.korean.email, password: DEMO_PASSWORD } });
        const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
        expect(cookie).toMatch(/^duly_session=./);
        // The app listens on an internal address; the proxy says what the browser sees.
        const proxied = { host: "10.0.0.7:3000", "x-forwarded-host": "erp.duly.example", "x-forwarded-proto": "https" };
        const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
        const begun = await request("POST", "https://erp.duly.example/api/v1/attachments/uploads", {
          body: { kind: "document", content_type: PDF, inspection_id: ids.acmeInspection, file_name: "proxied.pdf", size: pdf.length },
          headers: { ...proxied, origin: "https://erp.duly.example", "sec-fetch-site": "same-origin" },
          cookie,
        });
        expect(begun.status, JSON.stringify(begun.body)).toBe(201);
        const target = new URL(begun.body.data.url, "https://erp.duly.example/");
        expect(target.origin).toBe("https://erp.duly.example");
        // Without Sec-Fetch-Site (older browsers), Origin must be the forwarded public origin.
        const other = await request("PUT", target.toString(), { rawBody: pdf, headers: { ...proxied, ...begun.body.data.headers, origin: "https://evil.example" }, cookie });
        expect(other.status).toBe(403);
        const sent = await request("PUT", target.toString(), { rawBody: pdf, headers: { ...proxied, ...begun.body.data.headers, origin: "https://erp.duly.example" }, cookie });
        expect(sent.status, JSON.stringify(sent.body)).toBe(200);
        const done = await request("POST", `/api/v1/attachments/uploads/${begun.body.data.token}/complete`, {
          headers: { ...proxied, origin: "https://erp.duly.example" },
          cookie,
        });
        expect(done.status, JSON.stringify(done.body)).toBe(201);
        expect(done.body.data).toMatchObject({ file_name: "proxied.pdf", inspection_id: ids.acmeInspection });
      });

      it("the bytes may come as a stream; each accepted type is recorded with the type its content has", async () => {
        for (const [name, bytes, mime] of [
          ["photo.jpg", samples.jpeg(), "image/jpeg"],
          ["photo.png", samples.png(), "image/png"],
          ["photo.webp", samples.webp(), "image/webp"],
          ["list.xlsx", samples.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
        ] as const) {
          const begun = await begin("chinese", { inspection_id: ids.blueskyInspection, kind: "photo" }, { file_name: name, content_type: "", size: bytes.length });
          expect(begun.status, name).toBe(201);
          expect(begun.body.data.headers["content-type"]).toBe(mime);
          const half = Math.floor(bytes.length / 2);
          const stream = new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(bytes.slice(0, half));
              c.enqueue(bytes.slice(half));
              c.close();
            },
          });
          expect((await put("chinese", begun.body.data.url, stream)).status, name).toBe(200);
          const done = await complete("chinese", begun.body.data.token);
          expect(done.status, name).toBe(201);
          expect(done.body.data).toMatchObject({ content_type: mime, kind: "photo", customer_id: CUSTOMERS.bluesky, uploaded_by: USERS.chinese.id });
        }
      });

      it("an internal photo by a manager is recorded as internal and hidden from ACME", async () => {
        const { done } = await fullUpload("manager", { inspection_id: ids.acmeInspection, kind: "photo", internal: true }, { name: "internal.jpg", bytes: samples.jpeg() as Uint8Array<ArrayBuffer>, type: "image/jpeg" });
        expect(done.status).toBe(201);
        expect(done.body.data.internal).toBe(true);
        expect((await client("acme").get(`/api/v1/attachments/${done.body.data.id}`)).status).toBe(404);
      });
    });

    describe("customers: documents of their own company only, as with a multipart upload", () => {
      const doc = () => ({ name: "order.pdf", bytes: samples.pdf() as Uint8Array<ArrayBuffer> });

      it("ACME uploads a document for its own company and its own inspection", async () => {
        const own = await fullUpload("acme", { customer_id: CUSTOMERS.acme }, doc());
        expect(own.sent.status).toBe(200);
        expect(own.done.status, JSON.stringify(own.done.body)).toBe(201);
        expect(own.done.body.data).toMatchObject({ customer_id: CUSTOMERS.acme, kind: "document", uploaded_by: USERS.acme.id });
        const toInspection = await fullUpload("acme", { inspection_id: ids.acmeInspection }, doc());
        expect(toInspection.done.status).toBe(201);
        expect(toInspection.done.body.data.inspection_id).toBe(ids.acmeInspection);
      });

      it("Blue Sky naming ACME's inspection gets 404 with nothing of ACME's and nothing created", async () => {
        await createsNothing(async () => {
          const res = await begin("bluesky", { inspection_id: ids.acmeInspection }, { file_name: "x.pdf", size: 100 });
          expect(res.status).toBe(404);
          expect(res.body.error.code).toBe("not_found");
          const text = JSON.stringify(res.body);
          for (const secret of [ids.acmeInspection, CUSTOMERS.acme, "Upload monitor", "ACME"]) expect(text).not.toContain(secret);
        });
      });

      it("ACME naming Blue Sky's company (403), a report (403), an internal file (403), or no record (422): nothing created", async () => {
        await createsNothing(async () => {
          expect((await begin("acme", { customer_id: CUSTOMERS.bluesky }, { file_name: "x.pdf", size: 100 })).status).toBe(403);
          expect((await begin("acme", { customer_id: CUSTOMERS.acme, kind: "report" }, { file_name: "x.pdf", size: 100 })).status).toBe(403);
          expect((await begin("acme", { customer_id: CUSTOMERS.acme, internal: true }, { file_name: "x.pdf", size: 100 })).status).toBe(403);
          expect((await begin("acme", {}, { file_name: "x.pdf", size: 100 })).status).toBe(422);
          expect((await begin("korean", { inspection_id: crypto.randomUUID() }, { file_name: "x.pdf", size: 100 })).status).toBe(404);
        });
      });

      it("staff (every role that writes) upload to any company", async () => {
        for (const who of ["admin", "manager", "korean", "chinese"] as const) {
          const r = await begin(who, { customer_id: CUSTOMERS.bluesky }, { file_name: "x.pdf", size: 100 });
          expect(r.status, who).toBe(201);
        }
      });
    });

    describe("announced name, type and size: 422 and nothing created", () => {
      it("21 MB, empty, a name that is no accepted type, a type that does not match the name", async () => {
        await createsNothing(async () => {
          const target = { customer_id: CUSTOMERS.acme };
          const big = await begin("korean", target, { file_name: "big.pdf", size: 21 * 1024 * 1024 });
          expect(big.status).toBe(422);
          expect(big.body.error).toMatchObject({ code: "validation_failed", message: "Files can be at most 20 MB", details: [{ path: "file", reason: "too_large" }] });
          expect((await begin("korean", target, { file_name: "empty.pdf", size: 0 })).status).toBe(422);
          const exe = await begin("korean", target, { file_name: "setup.exe", content_type: "application/octet-stream", size: 100 });
          expect(exe.status).toBe(422);
          expect(exe.body.error.message).toContain("PDF, JPEG, PNG, WebP or XLSX");
          expect(exe.body.error.details).toEqual([{ path: "file", message: exe.body.error.message, reason: "type" }]);
          expect((await begin("korean", target, { file_name: "r.pdf", content_type: "image/png", size: 100 })).status).toBe(422);
          expect((await begin("korean", target, { file_name: "r.pdf", content_type: "text/html", size: 100 })).status).toBe(422);
          expect((await begin("korean", target, { file_name: "r.pdf", size: 1.5 })).status).toBe(422);
          expect((await begin("korean", target, { file_name: "", size: 100 })).status).toBe(422);
          const noSize = await request("POST", "/api/v1/attachments/uploads", { body: { customer_id: CUSTOMERS.acme, file_name: "x.pdf" }, token: await tokenFor("korean") });
          expect(noSize.status).toBe(422);
          const notJson = await request("POST", "/api/v1/attachments/uploads", { rawBody: "{", headers: { "content-type": "application/json" }, token: await tokenFor("korean") });
          expect(notJson.status).toBe(400);
        });
      });

      it("anonymous callers get 401 on every step and nothing is created", async () => {
        const { begun } = await fullUpload("korean", { customer_id: CUSTOMERS.acme }, { name: "a.pdf", bytes: samples.pdf() as Uint8Array<ArrayBuffer> });
        await createsNothing(async () => {
          expect((await begin(null, { customer_id: CUSTOMERS.acme }, { file_name: "x.pdf", size: 100 })).status).toBe(401);
          expect((await put(null, begun.body.data.url, samples.pdf() as Uint8Array<ArrayBuffer>)).status).toBe(401);
          expect((await complete(null, begun.body.data.token)).status).toBe(401);
        });
      });
    });

    describe("the stored bytes are checked on complete: refused → 422, object removed, nothing recorded", () => {
      it("a disguised executable named .pdf", async () => {
        await storesNothing(async () => {
          const exe = samples.exe() as Uint8Array<ArrayBuffer>;
          const begun = await begin("korean", { inspection_id: ids.acmeInspection, kind: "report" }, { file_name: "report.pdf", size: exe.length });
          expect(begun.status).toBe(201);
          expect((await put("korean", begun.body.data.url, exe)).status).toBe(200);
          expect((await storedFiles()).length).toBeGreaterThan(0);
          const done = await complete("korean", begun.body.data.token);
          expect(done.status).toBe(422);
          expect(done.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "file" }] });
          expect(done.body.error.message).toContain("PDF, JPEG, PNG, WebP or XLSX");
          expect(await statusOf(uploadIdOf(begun.body.data.token))).toBe("failed");
          // The refusal is final: the token completes nothing and takes no new bytes.
          expect((await complete("korean", begun.body.data.token)).status).toBe(409);
          expect((await put("korean", begun.body.data.url, samples.pdf() as Uint8Array<ArrayBuffer>)).status).toBe(409);
        });
      });

      it("a PNG sent for a .pdf, and a file shorter than announced", async () => {
        await storesNothing(async () => {
          const png = samples.png() as Uint8Array<ArrayBuffer>;
          const begun = await begin("korean", { customer_id: CUSTOMERS.acme }, { file_name: "r.pdf", size: png.length });
          await put("korean", begun.body.data.url, png);
          expect((await complete("korean", begun.body.data.token)).status).toBe(422);

          const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
          const short = await begin("korean", { customer_id: CUSTOMERS.acme }, { file_name: "r.pdf", size: pdf.length + 10 });
          expect((await put("korean", short.body.data.url, pdf)).status).toBe(200);
          const done = await complete("korean", short.body.data.token);
          expect(done.status).toBe(422);
          expect(done.body.error.message).toContain("not the");
        });
      });

      it("the PUT stops past the announced size: 21 MB sent for 20 MB is refused, no partial file left", async () => {
        await storesNothing(async () => {
          const begun = await begin("korean", { customer_id: CUSTOMERS.acme }, { file_name: "big.pdf", size: MAX_FILE_BYTES });
          expect(begun.status).toBe(201);
          const big = pdfOfSize(21 * 1024 * 1024) as Uint8Array<ArrayBuffer>;
          const streamed = new ReadableStream<Uint8Array>({
            start(c) {
              for (let at = 0; at < big.length; at += 1024 * 1024) c.enqueue(big.slice(at, at + 1024 * 1024));
              c.close();
            },
          });
          const res = await put("korean", begun.body.data.url, streamed);
          expect(res.status).toBe(422);
          expect(res.body.error.message).toContain("20 MB");
          // Announced by Content-Length: refused before a byte is read.
          const declared = await put("korean", begun.body.data.url, samples.pdf() as Uint8Array<ArrayBuffer>, { "content-length": String(21 * 1024 * 1024) });
          expect(declared.status).toBe(422);
          expect((await readdir(root, { recursive: true })).filter((f) => String(f).includes(".partial"))).toEqual([]);
          // Nothing stored: completing says so, and the upload stays open for the right bytes.
          expect((await complete("korean", begun.body.data.token)).status).toBe(409);
          expect(await statusOf(uploadIdOf(begun.body.data.token))).toBe("pending");
        });
      });
    });

    describe("tokens: bound to their user and upload, single use, refused when forged or stale", () => {
      it("completing before the bytes are sent is 409 and the upload stays usable", async () => {
        const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
        const begun = await begin("acme", { customer_id: CUSTOMERS.acme }, { file_name: "later.pdf", size: pdf.length });
        const early = await complete("acme", begun.body.data.token);
        expect(early.status).toBe(409);
        expect(early.body.error.code).toBe("invalid_state");
        expect((await put("acme", begun.body.data.url, pdf)).status).toBe(200);
        expect((await complete("acme", begun.body.data.token)).status).toBe(201);
      });

      it("reused: a second complete is 409 and the recorded file stays; a second PUT is 409", async () => {
        const { begun, done, token } = await fullUpload("acme", { customer_id: CUSTOMERS.acme }, { name: "once.pdf", bytes: samples.pdf() as Uint8Array<ArrayBuffer> });
        expect(done.status).toBe(201);
        await storesNothing(async () => {
          const again = await complete("acme", token);
          expect(again.status).toBe(409);
          expect(again.body.error.code).toBe("conflict");
          expect((await put("acme", begun.body.data.url, samples.pdf() as Uint8Array<ArrayBuffer>)).status).toBe(409);
        });
        expect((await client("acme").get(`/api/v1/attachments/${done.body.data.id}/download`)).status).toBe(200);
      });

      it("two PUTs to one pending upload: the second is 409 and the first file stays", async () => {
        const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
        const begun = await begin("korean", { customer_id: CUSTOMERS.acme }, { file_name: "twice.pdf", size: pdf.length });
        expect((await put("korean", begun.body.data.url, pdf)).status).toBe(200);
        await storesNothing(async () => {
          expect((await put("korean", begun.body.data.url, samples.png() as Uint8Array<ArrayBuffer>)).status).toBe(409);
        });
        expect((await complete("korean", begun.body.data.token)).body.data.content_type).toBe(PDF);
      });

      it("another user's token is 404 on PUT and complete (Blue Sky with ACME's; staff with a customer's), nothing stored", async () => {
        const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
        const begun = await begin("acme", { customer_id: CUSTOMERS.acme }, { file_name: "mine.pdf", size: pdf.length });
        await storesNothing(async () => {
          for (const who of ["bluesky", "admin"] as const) {
            const p = await put(who, begun.body.data.url, pdf);
            expect(p.status, who).toBe(404);
            const c = await complete(who, begun.body.data.token);
            expect(c.status, who).toBe(404);
            expect(JSON.stringify(c.body)).not.toContain("mine.pdf");
          }
        });
        // ACME's own upload is untouched by the attempts.
        expect((await put("acme", begun.body.data.url, pdf)).status).toBe(200);
        expect((await complete("acme", begun.body.data.token)).status).toBe(201);
      });

      it("forged and malformed tokens are 404", async () => {
        const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
        const begun = await begin("korean", { customer_id: CUSTOMERS.acme }, { file_name: "f.pdf", size: pdf.length });
        const token = begun.body.data.token as string;
        const [header, payload, sig] = token.split(".");
        // Same payload, another signature; a later deadline in a payload carrying the old signature.
        const otherSig = `${header}.${payload}.${(sig[0] === "A" ? "B" : "A") + sig.slice(1)}`;
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
        const swapped = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString("base64url")}.${sig}`;
        await storesNothing(async () => {
          for (const bad of [otherSig, swapped, "not-a-token", `${header}.${payload}.`, `${header}.${crypto.randomUUID()}.${sig}`]) {
            expect((await put("korean", `/api/v1/attachments/uploads/${encodeURIComponent(bad)}`, pdf)).status, bad).toBe(404);
            expect((await complete("korean", encodeURIComponent(bad))).status, bad).toBe(404);
          }
        });
      });

      it("a stale token is refused: PUT after its deadline, complete after the hour of grace (409 invalid_state)", async () => {
        const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
        const begun = await begin("korean", { customer_id: CUSTOMERS.acme }, { file_name: "late.pdf", size: pdf.length });
        const id = uploadIdOf(begun.body.data.token);
        const now = Math.floor(Date.now() / 1000);
        const late = await signUploadToken({ uploadId: id, userId: USERS.korean.id, exp: now - 60 });
        await storesNothing(async () => {
          const p = await put("korean", `/api/v1/attachments/uploads/${late}`, pdf);
          expect(p.status).toBe(409);
          expect(p.body.error).toMatchObject({ code: "invalid_state", message: "This upload has expired; start a new one" });
        });
        // Within the hour after the deadline, completing still works (a big file that started in time).
        expect((await put("korean", begun.body.data.url, pdf)).status).toBe(200);
        const tooLate = await signUploadToken({ uploadId: id, userId: USERS.korean.id, exp: now - 2 * 3600 });
        expect((await complete("korean", tooLate)).status).toBe(409);
        // The database holds the same deadline: a row past it is refused whatever the token says.
        await q("update public.attachment_uploads set expires_at = now() - interval '2 hours' where id = $1", [id]);
        const res = await complete("korean", begun.body.data.token);
        expect(res.status).toBe(409);
        expect(res.body.error.code).toBe("invalid_state");
        await q("update public.attachment_uploads set expires_at = now() - interval '10 minutes' where id = $1", [id]);
        expect((await complete("korean", await signUploadToken({ uploadId: id, userId: USERS.korean.id, exp: now - 600 }))).status).toBe(201);
      });

      it("parallel completes of one upload: exactly one records it, the others are 409, the file stays", async () => {
        const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
        const begun = await begin("korean", { customer_id: CUSTOMERS.acme }, { file_name: "race.pdf", size: pdf.length });
        await put("korean", begun.body.data.url, pdf);
        const rows = await count("attachments");
        const answers = await Promise.all(Array.from({ length: 6 }, () => complete("korean", begun.body.data.token)));
        expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
        expect(await count("attachments")).toBe(rows + 1);
        const id = answers.find((a) => a.status === 201)!.body.data.id as string;
        expect((await client("korean").get(`/api/v1/attachments/${id}/download`)).status).toBe(200);
      });

      it("Idempotency-Key: a retried begin returns the same upload", async () => {
        const key = { "idempotency-key": `begin-${crypto.randomUUID()}` };
        const file = { file_name: "again.pdf", size: 100 };
        const uploads = await count("attachment_uploads");
        const first = await begin("korean", { customer_id: CUSTOMERS.acme }, file, key);
        const again = await begin("korean", { customer_id: CUSTOMERS.acme }, file, key);
        expect(first.status).toBe(201);
        expect(again.status).toBe(201);
        expect(again.headers.get("idempotent-replayed")).toBe("true");
        expect(uploadIdOf(again.body.data.token)).toBe(uploadIdOf(first.body.data.token));
        expect(await count("attachment_uploads")).toBe(uploads + 1);
        const other = await begin("korean", { customer_id: CUSTOMERS.acme }, { ...file, size: 200 }, key);
        expect(other.status).toBe(422);
        expect(other.body.error.code).toBe("idempotency_mismatch");
      });

      it("Idempotency-Key: a retried complete replays the first answer", async () => {
        const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
        const begun = await begin("korean", { customer_id: CUSTOMERS.acme }, { file_name: "retry.pdf", size: pdf.length });
        await put("korean", begun.body.data.url, pdf);
        const key = { "idempotency-key": `complete-${crypto.randomUUID()}` };
        const first = await complete("korean", begun.body.data.token, key);
        const again = await complete("korean", begun.body.data.token, key);
        expect(first.status).toBe(201);
        expect(again.status).toBe(201);
        expect(again.headers.get("idempotent-replayed")).toBe("true");
        expect(again.body).toEqual(first.body);
      });
    });

    describe("the database functions", () => {
      it("anon may execute none; signed-in users none of the jobs_*; nobody but the server reads the table", async () => {
        for (const [who, sql] of [
          ["anon", "select public.attachment_upload_get(gen_random_uuid())"],
          ["anon", "select public.attachment_upload_begin('document', 'x.pdf', 'application/pdf', 1, null, null, false)"],
          ["acme", "select public.jobs_attachment_uploads_stale(10)"],
          ["admin", "select public.jobs_attachment_uploads_forget('[]'::jsonb)"],
          ["admin", "select id from public.attachment_uploads"],
          ["acme", "select id from public.attachment_uploads"],
        ] as const) {
          await expect(sqlAs(getDb(), who, sql), `${who}: ${sql}`).rejects.toMatchObject({ code: "42501" });
        }
      });

      it("a user reads only their own uploads through the functions; another's is not_found", async () => {
        const begun = await begin("acme", { customer_id: CUSTOMERS.acme }, { file_name: "own.pdf", size: 10 });
        const id = uploadIdOf(begun.body.data.token);
        expect(await call(fnAttachmentUploadGet, { p_id: id }, as("acme"))).toMatchObject({ id, user_id: USERS.acme.id, status: "pending" });
        for (const who of ["bluesky", "korean"] as const) {
          await expect(call(fnAttachmentUploadGet, { p_id: id }, as(who)), who).rejects.toMatchObject({ name: "AppError", code: "not_found" });
          // Complete and fail execute only as service_role (they record the server's check of the
          // stored bytes); acting for another user, they find nothing either.
          const complete = { p_id: id, p_size_bytes: 10, p_content_type: PDF, p_sha256: "a".repeat(64) };
          await expect(call(fnAttachmentUploadComplete, { ...complete, p_actor: USERS[who].id }, service), who).rejects.toMatchObject({
            name: "AppError",
            code: "not_found",
          });
          await expect(call(fnAttachmentUploadFail, { p_id: id, p_actor: USERS[who].id }, service), who).rejects.toMatchObject({
            name: "AppError",
            code: "not_found",
          });
        }
        // The owner's own session may not call them at all: completing directly would skip the content check.
        for (const who of ["acme", "bluesky", "korean"] as const) {
          await expect(call(fnAttachmentUploadComplete, { p_id: id, p_size_bytes: 10, p_content_type: PDF, p_sha256: "a".repeat(64) }, as(who)), who)
            .rejects.toMatchObject({ name: "AppError", code: "forbidden" });
          await expect(call(fnAttachmentUploadFail, { p_id: id }, as(who)), who).rejects.toMatchObject({ name: "AppError", code: "forbidden" });
        }
        expect(await statusOf(id)).toBe("pending");
      });
    });

    describe("prune: uploads never completed go, with their objects, once no URL can write", () => {
      it("removes the object of a stale pending or refused upload, keeps recorded files, forgets the rows; young uploads stay", async () => {
        const pdf = samples.pdf() as Uint8Array<ArrayBuffer>;
        const pending = await begin("korean", { customer_id: CUSTOMERS.acme }, { file_name: "abandoned.pdf", size: pdf.length });
        await put("korean", pending.body.data.url, pdf);
        const never = await begin("korean", { customer_id: CUSTOMERS.acme }, { file_name: "never-sent.pdf", size: pdf.length });
        const young = await begin("korean", { customer_id: CUSTOMERS.acme }, { file_name: "young.pdf", size: pdf.length });
        await put("korean", young.body.data.url, pdf);
        const kept = await fullUpload("korean", { customer_id: CUSTOMERS.acme }, { name: "kept.pdf", bytes: pdf });
        expect(kept.done.status).toBe(201);
        const stale = [pending, never, kept.begun].map((b) => uploadIdOf(b.body.data.token));
        await q("update public.attachment_uploads set created_at = now() - interval '4 hours' where id = any($1::uuid[])", [stale]);
        const pathOf = async (id: string) => (await q<{ storage_path: string }>("select storage_path from public.attachment_uploads where id = $1", [id]))[0].storage_path;
        const file = (p: string) => path.join(root, ...p.split("/"));
        const abandonedFile = file(await pathOf(stale[0]));
        const keptFile = file(await pathOf(stale[2]));
        const youngFile = file(await pathOf(uploadIdOf(young.body.data.token)));
        const files = await storedFiles();
        expect(files).toEqual(expect.arrayContaining([abandonedFile, keptFile, youngFile]));

        const result = await pruneStaleUploads();
        expect(result).toMatchObject({ objects_removed: 2, failed: 0 });
        expect(result.forgotten).toBeGreaterThanOrEqual(3);
        const after = await storedFiles();
        expect(after).not.toContain(abandonedFile);
        expect(after).toEqual(expect.arrayContaining([keptFile, youngFile]));
        expect(after.length).toBe(files.length - 1);
        expect(await q("select id from public.attachment_uploads where id = any($1::uuid[])", [stale])).toEqual([]);
        expect(await statusOf(uploadIdOf(young.body.data.token))).toBe("pending");
        expect((await client("acme").get(`/api/v1/attachments/${kept.done.body.data.id}/download`)).status).toBe(200);
        // A forgotten upload's token names nothing any more.
        expect((await complete("korean", pending.body.data.token)).status).toBe(404);
      });
    });
  });
}

describeDirectUploads(contractDb);
