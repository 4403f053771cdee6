import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { localStorageRoot, setStorage } from "@/lib/storage";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { pdfOfSize, samples } from "../helpers/files";
import { openTestDatabase } from "../helpers/pglite";
import { client, request, tokenFor, type ApiResponse } from "../helpers/router";

// /api/v1/attachments through the route handlers on this file's own embedded database, with the
// local-folder store in a temporary DATA_DIR: uploads with content checks, downloads, who sees
// what (Blue Sky never sees anything of ACME's), deletes, and that a refused upload stores
// nothing — neither a row nor a file.

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
let dataDir = "";
let root = "";
const previousDataDir = process.env.DATA_DIR;
const ids = { acmeInspection: "", blueskyInspection: "" };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "duly-attachments-"));
  process.env.DATA_DIR = dataDir;
  resetEnvCache();
  setStorage(undefined);
  root = localStorageRoot();
  ({ db } = await openTestDatabase());
  for (const [key, customer] of [["acmeInspection", CUSTOMERS.acme], ["blueskyInspection", CUSTOMERS.bluesky]] as const) {
    const r = await db.query<{ id: string }>(
      `insert into public.inspection_applications (number, customer_id, product, factory_name, inspection_type, requested_date)
       values ('INS-API-' || gen_random_uuid(), $1, 'LCD monitor', 'Shenzhen Factory 1', 'pre_shipment', current_date) returning id`,
      [customer],
    );
    ids[key] = r.rows[0].id;
  }
});

afterAll(async () => {
  setStorage(undefined);
  if (previousDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = previousDataDir;
  resetEnvCache();
  await rm(dataDir, { recursive: true, force: true });
});

type Fields = Record<string, string>;
type FilePart = { bytes: Uint8Array; name: string; type?: string };

async function upload(who: DemoUser | null, fields: Fields, file?: FilePart, headers?: Record<string, string>): Promise<ApiResponse> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type ?? "" }), file.name);
  return request("POST", "/api/v1/attachments", { rawBody: form, headers, token: who ? await tokenFor(who) : undefined });
}

async function storedFiles(): Promise<string[]> {
  try {
    return (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

async function rowCount(): Promise<number> {
  return (await db.query<{ n: number }>("select count(*)::int as n from public.attachments")).rows[0].n;
}

/** Runs `work` and checks that it left no row and no file behind. */
async function storesNothing(work: () => Promise<void>): Promise<void> {
  const rows = await rowCount();
  const files = await storedFiles();
  await work();
  expect(await rowCount()).toBe(rows);
  expect(await storedFiles()).toEqual(files);
}

const pdf = { bytes: samples.pdf(), name: "검사 보고서 ACME.pdf", type: "application/pdf" };
let report: { id: string; customer_id: string; file_name: string };

describe("staff upload a report, ACME downloads it", () => {
  it("korean_team uploads a PDF report for an ACME inspection: one row, one file in DATA_DIR/attachments", async () => {
    expect(root).toBe(path.join(dataDir, "attachments"));
    const before = await storedFiles();
    const res = await upload("korean", { inspection_id: ids.acmeInspection, kind: "report" }, pdf);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data).toMatchObject({
      customer_id: CUSTOMERS.acme,
      inspection_id: ids.acmeInspection,
      kind: "report",
      file_name: pdf.name,
      content_type: "application/pdf",
      size_bytes: pdf.bytes.length,
      internal: false,
      uploaded_by: USERS.korean.id,
    });
    expect(res.body.data).not.toHaveProperty("storage_path");
    report = res.body.data;
    const added = (await storedFiles()).filter((f) => !before.includes(f));
    expect(added).toHaveLength(1);
    expect(path.relative(root, added[0]).split(path.sep)[0]).toBe(CUSTOMERS.acme);
    expect(new Uint8Array(await readFile(added[0]))).toEqual(pdf.bytes);
  });

  it("ACME reads its metadata, finds it in the inspection's list and downloads it", async () => {
    const acme = client("acme");
    const meta = await acme.get(`/api/v1/attachments/${report.id}`);
    expect(meta.status).toBe(200);
    expect(meta.body.data).toMatchObject({ id: report.id, file_name: pdf.name });
    const list = await acme.get(`/api/v1/attachments?inspection_id=${ids.acmeInspection}`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ page: 1, limit: 10 });
    expect(list.body.data.map((a: { id: string }) => a.id)).toContain(report.id);

    const dl = await acme.get(`/api/v1/attachments/${report.id}/download`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-type")).toBe("application/pdf");
    expect(dl.headers.get("x-content-type-options")).toBe("nosniff");
    expect(dl.headers.get("content-length")).toBe(String(pdf.bytes.length));
    expect(dl.headers.get("cache-control")).toBe("private, no-store");
    const disposition = dl.headers.get("content-disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(disposition).toContain(encodeURIComponent("검사 보고서 ACME.pdf"));
    expect(dl.body).toBe(new TextDecoder().decode(pdf.bytes));
  });

  it("every staff role downloads it too", async () => {
    for (const who of ["admin", "manager", "chinese"] as const) {
      expect((await client(who).get(`/api/v1/attachments/${report.id}/download`)).status).toBe(200);
    }
  });
});

describe("Blue Sky names ACME's attachment and gets 404 with nothing of ACME's", () => {
  const leaks = (res: ApiResponse) => {
    const text = JSON.stringify(res.body) ?? "";
    for (const secret of [report.id, report.file_name, CUSTOMERS.acme, ids.acmeInspection, "ACME", "application/pdf"]) {
      expect(text, `${res.status} ${text}`).not.toContain(secret);
    }
  };

  it("metadata, download, delete and the inspection's list", async () => {
    const bluesky = client("bluesky");
    for (const res of [
      await bluesky.get(`/api/v1/attachments/${report.id}`),
      await bluesky.get(`/api/v1/attachments/${report.id}/download`),
      await bluesky.del(`/api/v1/attachments/${report.id}`),
      await bluesky.get(`/api/v1/attachments?inspection_id=${ids.acmeInspection}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
      leaks(res);
    }
    expect((await client("acme").get(`/api/v1/attachments/${report.id}`)).status).toBe(200);
  });

  it("asking for ACME's files by customer id is forbidden; its own list holds nothing of ACME's", async () => {
    const bluesky = client("bluesky");
    const byCustomer = await bluesky.get(`/api/v1/attachments?customer_id=${CUSTOMERS.acme}`);
    expect(byCustomer.status).toBe(403);
    const own = await bluesky.get("/api/v1/attachments?limit=100");
    expect(own.status).toBe(200);
    expect(own.body.data.every((a: { customer_id: string }) => a.customer_id === CUSTOMERS.bluesky)).toBe(true);
    leaks(own);
  });
});

describe("content checks: refused with 422 and nothing stored", () => {
  it("a disguised executable (.pdf name, PDF type, other content)", async () => {
    await storesNothing(async () => {
      const res = await upload("korean", { inspection_id: ids.acmeInspection, kind: "report" }, {
        bytes: samples.exe(),
        name: "report.pdf",
        type: "application/pdf",
      });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "file" }] });
      expect(res.body.error.message).toContain("PDF, JPEG, PNG, WebP or XLSX");
    });
  });

  it("a 21 MB file", async () => {
    await storesNothing(async () => {
      const res = await upload("korean", { inspection_id: ids.acmeInspection, kind: "report" }, {
        bytes: pdfOfSize(21 * 1024 * 1024),
        name: "big.pdf",
        type: "application/pdf",
      });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: "validation_failed", message: "Files can be at most 20 MB" });
    });
  });

  it("a body declared larger than the limit is refused before it is read", async () => {
    await storesNothing(async () => {
      const res = await request("POST", "/api/v1/attachments", {
        rawBody: "x",
        headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(30 * 1024 * 1024) },
        token: await tokenFor("korean"),
      });
      expect(res.status).toBe(422);
    });
  });

  it("a PNG named .pdf, an HTML page named .png, a script with no accepted extension, an empty file", async () => {
    const cases: FilePart[] = [
      { bytes: samples.png(), name: "r.pdf", type: "application/pdf" },
      { bytes: samples.html(), name: "r.png", type: "image/png" },
      { bytes: samples.script(), name: "run.sh" },
      { bytes: new Uint8Array(0), name: "empty.pdf", type: "application/pdf" },
      { bytes: samples.pdf(), name: "r.pdf", type: "text/html" },
    ];
    for (const file of cases) {
      await storesNothing(async () => {
        const res = await upload("korean", { customer_id: CUSTOMERS.acme, kind: "document" }, file);
        expect(res.status, file.name).toBe(422);
        expect(res.body.error.code).toBe("validation_failed");
      });
    }
  });

  it("each accepted type is stored with the type its content has", async () => {
    for (const [name, bytes, mime] of [
      ["photo.jpg", samples.jpeg(), "image/jpeg"],
      ["photo.png", samples.png(), "image/png"],
      ["photo.webp", samples.webp(), "image/webp"],
      ["list.xlsx", samples.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    ] as const) {
      const res = await upload("chinese", { inspection_id: ids.blueskyInspection, kind: "photo" }, { bytes, name });
      expect(res.status, name).toBe(201);
      expect(res.body.data.content_type).toBe(mime);
    }
  });
});

describe("customers upload documents for their own company only", () => {
  const doc = { bytes: samples.xlsx(), name: "purchase order.xlsx" };

  it("ACME uploads a document for its own company and for its own inspection", async () => {
    const res = await upload("acme", { customer_id: CUSTOMERS.acme, kind: "document" }, doc);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data).toMatchObject({ customer_id: CUSTOMERS.acme, kind: "document", uploaded_by: USERS.acme.id });
    const toInspection = await upload("acme", { inspection_id: ids.acmeInspection }, doc);
    expect(toInspection.status).toBe(201);
    expect(toInspection.body.data).toMatchObject({ inspection_id: ids.acmeInspection, kind: "document" });
  });

  it("ACME is refused for Blue Sky (403), Blue Sky's inspection (404), a report or an internal file (403); nothing stored", async () => {
    await storesNothing(async () => {
      const other = await upload("acme", { customer_id: CUSTOMERS.bluesky, kind: "document" }, doc);
      expect(other.status).toBe(403);
      const otherInspection = await upload("acme", { inspection_id: ids.blueskyInspection, kind: "document" }, doc);
      expect(otherInspection.status).toBe(404);
      expect(JSON.stringify(otherInspection.body)).not.toContain(ids.blueskyInspection);
      expect((await upload("acme", { customer_id: CUSTOMERS.acme, kind: "report" }, doc)).status).toBe(403);
      expect((await upload("acme", { customer_id: CUSTOMERS.acme, internal: "true" }, doc)).status).toBe(403);
    });
  });
});

describe("internal files", () => {
  it("staff see an internal photo; ACME neither lists nor reads it", async () => {
    const res = await upload("manager", { inspection_id: ids.acmeInspection, kind: "photo", internal: "true" }, {
      bytes: samples.jpeg(),
      name: "internal.jpg",
      type: "image/jpeg",
    });
    expect(res.status).toBe(201);
    const id = res.body.data.id as string;
    const acme = client("acme");
    expect((await acme.get(`/api/v1/attachments/${id}`)).status).toBe(404);
    expect((await acme.get(`/api/v1/attachments/${id}/download`)).status).toBe(404);
    const list = await acme.get(`/api/v1/attachments?inspection_id=${ids.acmeInspection}&limit=100`);
    expect(list.body.data.map((a: { id: string }) => a.id)).not.toContain(id);
    const staffList = await client("korean").get(`/api/v1/attachments?inspection_id=${ids.acmeInspection}&limit=100`);
    expect(staffList.body.data.map((a: { id: string }) => a.id)).toContain(id);
  });
});

describe("DELETE /api/v1/attachments/:id", () => {
  it("chinese_staff and ACME get 403 and the file stays; korean_team deletes row and file", async () => {
    const up = await upload("korean", { customer_id: CUSTOMERS.acme, kind: "document" }, { bytes: samples.pdf(), name: "old.pdf" });
    const id = up.body.data.id as string;
    const files = await storedFiles();
    expect((await client("chinese").del(`/api/v1/attachments/${id}`)).status).toBe(403);
    const own = await client("acme").del(`/api/v1/attachments/${id}`);
    expect(own.status).toBe(403);
    expect(await storedFiles()).toEqual(files);

    const del = await client("korean").del(`/api/v1/attachments/${id}`);
    expect(del.status).toBe(200);
    expect(del.body.data.id).toBe(id);
    expect((await storedFiles()).length).toBe(files.length - 1);
    expect((await client("korean").get(`/api/v1/attachments/${id}`)).status).toBe(404);
    expect((await client("korean").get(`/api/v1/attachments/${id}/download`)).status).toBe(404);
    expect((await client("korean").del(`/api/v1/attachments/${id}`)).status).toBe(404);
  });
});

describe("bad requests", () => {
  it("anonymous requests get 401 and store nothing", async () => {
    await storesNothing(async () => {
      expect((await upload(null, { customer_id: CUSTOMERS.acme }, pdf)).status).toBe(401);
      expect((await request("GET", "/api/v1/attachments")).status).toBe(401);
      expect((await request("GET", `/api/v1/attachments/${report.id}`)).status).toBe(401);
      expect((await request("GET", `/api/v1/attachments/${report.id}/download`)).status).toBe(401);
      expect((await request("DELETE", `/api/v1/attachments/${report.id}`)).status).toBe(401);
    });
  });

  it("JSON instead of multipart is 400; a missing file, a bad kind or no target is 422; a malformed id is 404", async () => {
    const korean = client("korean");
    await storesNothing(async () => {
      expect((await korean.post("/api/v1/attachments", { customer_id: CUSTOMERS.acme })).status).toBe(400);
      const noFile = await upload("korean", { customer_id: CUSTOMERS.acme });
      expect(noFile.status).toBe(422);
      expect(noFile.body.error.details).toEqual([{ path: "file", message: "Choose a file to upload" }]);
      expect((await upload("korean", { customer_id: CUSTOMERS.acme, kind: "virus" }, pdf)).status).toBe(422);
      expect((await upload("korean", {}, pdf)).status).toBe(422);
      expect((await upload("korean", { customer_id: "not-a-uuid" }, pdf)).status).toBe(422);
    });
    expect((await korean.get("/api/v1/attachments/not-a-uuid")).status).toBe(404);
    expect((await korean.get("/api/v1/attachments/not-a-uuid/download")).status).toBe(404);
    expect((await korean.get("/api/v1/attachments?kind=virus")).status).toBe(400);
    expect((await korean.get(`/api/v1/attachments/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe("Idempotency-Key", () => {
  it("a retry with the same file returns the first answer and stores one file; another file with the key is refused", async () => {
    const key = `att-${crypto.randomUUID()}`;
    const fields = { customer_id: CUSTOMERS.bluesky, kind: "document" };
    const file = { bytes: samples.pdf(), name: "retry.pdf" };
    const rows = await rowCount();
    const files = (await storedFiles()).length;
    const first = await upload("korean", fields, file, { "idempotency-key": key });
    const again = await upload("korean", fields, file, { "idempotency-key": key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.data.id).toBe(first.body.data.id);
    expect(await rowCount()).toBe(rows + 1);
    expect((await storedFiles()).length).toBe(files + 1);
    await storesNothing(async () => {
      const other = await upload("korean", fields, { bytes: samples.png(), name: "other.png" }, { "idempotency-key": key });
      expect(other.status).toBe(422);
      expect(other.body.error.code).toBe("idempotency_mismatch");
    });
  });
});
