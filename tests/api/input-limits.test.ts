import { afterEach, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { PATCH as patchMe } from "@/app/api/v1/auth/me/route";
import { POST as createEngine } from "@/app/api/v1/engines/route";
import { POST as createItem } from "@/app/api/v1/items/route";
import { resetEnvCache } from "@/lib/env";
import { DEMO_PASSWORD, USERS } from "../helpers/demo";
import { bodyOf, invoke, request } from "../helpers/http";
import { openPgliteTestDb } from "../helpers/pglite";
import { databaseForSuite } from "../helpers/test-db";

// Input limits (docs/security.md, "Input limits"): JSON bodies bounded in bytes (413) and depth
// (400) before they are parsed or hashed, strings that are not well-formed Unicode refused (422),
// numbers the column would round refused, a flow needs lines, and PATCH /auth/me honours
// Idempotency-Key.

const getDb = databaseForSuite(openPgliteTestDb);

type ErrorBody = { error: { code: string; message: string; details?: { path: string; message: string }[] } };

afterEach(() => {
  delete process.env.JSON_BODY_MAX_BYTES;
  delete process.env.JSON_BODY_MAX_DEPTH;
  resetEnvCache();
});

let token: string | undefined;
async function auth(): Promise<Record<string, string>> {
  if (!token) {
    const res = await invoke(login, request("POST", "/api/v1/auth/login", { body: { email: USERS.admin.email, password: DEMO_PASSWORD } }));
    token = (await bodyOf<{ data: { session: { access_token: string } } }>(res)).data.session.access_token;
  }
  return { authorization: `Bearer ${token}` };
}

let seq = 0;
const newCode = () => `LIM-${process.pid % 1000}-${++seq}`;
const engineCount = async () => (await getDb().query<{ n: number }>("select count(*)::int as n from public.engines"))[0].n;

async function postEngineText(rawBody: string, headers: Record<string, string> = {}) {
  return invoke(createEngine, request("POST", "/api/v1/engines", { rawBody, headers: { ...(await auth()), ...headers } }));
}

/** `{"code":…,"name_ko":…,"x":[[[…]]]}` with the whole body nested `depth` levels deep. */
function nested(code: string, depth: number): string {
  const inner = "[".repeat(depth - 1) + "]".repeat(depth - 1);
  return `{"code":"${code}","name_ko":"깊이","x":${inner}}`;
}

describe("nesting depth", () => {
  it("5,000 levels with an Idempotency-Key is 400, not a stack overflow, and writes nothing", async () => {
    const before = await engineCount();
    for (const headers of [{ "idempotency-key": "deep-1" }, {}] as Record<string, string>[]) {
      const res = await postEngineText(nested(newCode(), 5000), headers);
      expect(res.status).toBe(400);
      expect((await bodyOf<ErrorBody>(res)).error.code).toBe("bad_request");
    }
    expect(await engineCount()).toBe(before);
  });

  it("the limit itself passes (32 by default); one level more does not", async () => {
    expect((await postEngineText(nested(newCode(), 32), { "idempotency-key": "deep-32" })).status).toBe(201);
    expect((await postEngineText(nested(newCode(), 33))).status).toBe(400);
  });

  it("brackets inside strings are text, not nesting", async () => {
    const res = await postEngineText(JSON.stringify({ code: newCode(), name_ko: "[".repeat(100) + "{".repeat(100) }));
    expect(res.status).toBe(201);
  });

  it("JSON_BODY_MAX_DEPTH moves the limit", async () => {
    process.env.JSON_BODY_MAX_DEPTH = "4";
    resetEnvCache();
    expect((await postEngineText(nested(newCode(), 4))).status).toBe(201);
    expect((await postEngineText(nested(newCode(), 5))).status).toBe(400);
  });
});

describe("body size", () => {
  const padded = (bytes: number) => {
    const base = { code: newCode(), name_ko: "크기", description: "" };
    return JSON.stringify({ ...base, description: "x".repeat(Math.max(0, bytes - JSON.stringify(base).length)) });
  };

  it("over JSON_BODY_MAX_BYTES by Content-Length: 413 before reading; under it: created", async () => {
    process.env.JSON_BODY_MAX_BYTES = "2048";
    resetEnvCache();
    const before = await engineCount();
    const big = padded(3000);
    const res = await postEngineText(big, { "content-length": String(Buffer.byteLength(big)) });
    expect(res.status).toBe(413);
    expect((await bodyOf<ErrorBody>(res)).error.code).toBe("payload_too_large");
    expect(await engineCount()).toBe(before);
    const small = padded(1500);
    expect((await postEngineText(small, { "content-length": String(Buffer.byteLength(small)) })).status).toBe(201);
  });

  it("a chunked body without Content-Length is counted while read: 413 once past the cap", async () => {
    process.env.JSON_BODY_MAX_BYTES = "2048";
    resetEnvCache();
    const before = await engineCount();
    const bytes = new TextEncoder().encode(padded(5000));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 512) controller.enqueue(bytes.slice(i, i + 512));
        controller.close();
      },
    });
    const req = new Request("http://localhost/api/v1/engines", {
      method: "POST",
      headers: { ...(await auth()), "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit & { duplex: "half" });
    expect(req.headers.get("content-length")).toBeNull();
    const res = await invoke(createEngine, req);
    expect(res.status).toBe(413);
    expect(await engineCount()).toBe(before);
  });
});

describe("text that is not well-formed Unicode", () => {
  it("a lone surrogate in a value is 422 with its path, nothing written", async () => {
    const code = newCode();
    const res = await postEngineText(`{"code":"${code}","name_ko":"a\\ud800b"}`);
    expect(res.status).toBe(422);
    const body = await bodyOf<ErrorBody>(res);
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details?.[0].path).toBe("name_ko");
    expect((await getDb().query("select 1 from public.engines where code = $1", [code])).length).toBe(0);
  });

  it("a lone surrogate in a key, or deep in an array, is 422 too", async () => {
    expect((await postEngineText(`{"code":"${newCode()}","name_ko":"a","\\udc00":1}`)).status).toBe(422);
    const res = await postEngineText(`{"code":"${newCode()}","name_ko":"a","x":[["ok","\\udfff"]]}`);
    expect(res.status).toBe(422);
    expect((await bodyOf<ErrorBody>(res)).error.details?.[0].path).toBe("x.0.1");
  });

  it("a surrogate pair (an emoji) is text and stored exactly", async () => {
    const code = newCode();
    const res = await postEngineText(`{"code":"${code}","name_ko":"상자 \\ud83d\\udce6"}`);
    expect(res.status).toBe(201);
    const rows = await getDb().query<{ name_ko: string }>("select name_ko from public.engines where code = $1", [code]);
    expect(rows[0].name_ko).toBe("상자 📦");
  });

  it("bytes that are not UTF-8 are 400, not silently replaced", async () => {
    const code = newCode();
    const bytes = new Uint8Array([...new TextEncoder().encode(`{"code":"${code}","name_ko":"`), 0xed, 0xa0, 0x80, ...new TextEncoder().encode('"}')]);
    const req = new Request("http://localhost/api/v1/engines", { method: "POST", headers: { ...(await auth()), "content-type": "application/json" }, body: bytes });
    const res = await invoke(createEngine, req);
    expect(res.status).toBe(400);
    expect((await bodyOf<ErrorBody>(res)).error.code).toBe("invalid_json");
    expect((await getDb().query("select 1 from public.engines where code = $1", [code])).length).toBe(0);
  });
});

describe("numbers the column cannot hold", () => {
  const postItem = async (extra: Record<string, unknown>) =>
    invoke(createItem, request("POST", "/api/v1/items", { body: { sku: `LIM-${++seq}-${process.pid % 1000}`, name_ko: "소수", ...extra }, headers: await auth() }));

  it("reorder_point 1.0005 is 422 (not stored as 1.001); 1.001 is stored exactly", async () => {
    const refused = await postItem({ reorder_point: 1.0005 });
    expect(refused.status).toBe(422);
    // The admin reads Korean: the rule comes in their language (lib/i18n/zod-issues.ts).
    expect((await bodyOf<ErrorBody>(refused)).error.details).toEqual([{ path: "reorder_point", message: "소수점 이하 3자리까지 입력할 수 있습니다." }]);
    const stored = await postItem({ reorder_point: 1.001, unit_cost: 1.15 });
    expect(stored.status).toBe(201);
    const data = (await bodyOf<{ data: { reorder_point: number; unit_cost: number } }>(stored)).data;
    expect(Number(data.reorder_point)).toBe(1.001);
    expect(Number(data.unit_cost)).toBe(1.15);
  });

  it("unit_cost with 3 decimals is 422", async () => {
    expect((await postItem({ unit_cost: 1.005 })).status).toBe(422);
  });
});

describe("PATCH /api/v1/auth/me with an Idempotency-Key", () => {
  const patch = async (body: unknown, key: string) =>
    invoke(patchMe, request("PATCH", "/api/v1/auth/me", { body, headers: { ...(await auth()), "idempotency-key": key } }));

  it("a retry replays the first answer and writes nothing more; the key with another body is 422", async () => {
    const first = await patch({ display_name: "관리자 하나" }, "me-1");
    expect(first.status).toBe(200);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    const firstBody = await bodyOf(first);
    // Changed in between: a replay must not write the first name again.
    expect((await patch({ display_name: "관리자 둘" }, "me-2")).status).toBe(200);
    const again = await patch({ display_name: "관리자 하나" }, "me-1");
    expect(again.status).toBe(200);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await bodyOf(again)).toEqual(firstBody);
    const rows = await getDb().query<{ display_name: string }>("select display_name from public.profiles where id = $1", [USERS.admin.id]);
    expect(rows[0].display_name).toBe("관리자 둘");
    const other = await patch({ display_name: "관리자 셋" }, "me-1");
    expect(other.status).toBe(422);
    expect((await bodyOf<ErrorBody>(other)).error.code).toBe("idempotency_mismatch");
  });
});
