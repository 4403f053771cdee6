import { afterEach, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { POST as logout } from "@/app/api/v1/auth/logout/route";
import { POST as uploadAttachment } from "@/app/api/v1/attachments/route";
import { GET as listEngines, POST as createEngine } from "@/app/api/v1/engines/route";
import { resetEnvCache } from "@/lib/env";
import { DEMO_PASSWORD, USERS } from "../helpers/demo";
import { bodyOf, cookieValue, invoke, request, setCookie } from "../helpers/http";
import { openPgliteTestDb } from "../helpers/pglite";
import { databaseForSuite } from "../helpers/test-db";

// Cross-site request forgery (docs/security.md, "Cross-site requests"): a browser write with the
// session cookie is accepted only from the app's own origin. The test app is http://localhost;
// http://localhost:4000 is another origin of the same site, whose forms and no-cors fetches carry
// the SameSite=Lax cookie all the same.

const getDb = databaseForSuite(openPgliteTestDb);

const SIBLING = "http://localhost:4000";
type ErrorBody = { error: { code: string; message: string } };

afterEach(() => {
  delete process.env.APP_ORIGINS;
  resetEnvCache();
});

async function session(): Promise<{ cookie: string; token: string }> {
  const res = await invoke(login, request("POST", "/api/v1/auth/login", { body: { email: USERS.admin.email, password: DEMO_PASSWORD } }));
  expect(res.status).toBe(200);
  const body = await bodyOf<{ data: { session: { access_token: string } } }>(res);
  return { cookie: `duly_session=${cookieValue(setCookie(res, "duly_session")!)}`, token: body.data.session.access_token };
}

let seq = 0;
const newCode = () => `CSRF-${process.pid % 1000}-${++seq}`;

async function engineExists(code: string): Promise<boolean> {
  const rows = await getDb().query<{ n: number }>("select count(*)::int as n from public.engines where code = $1", [code]);
  return rows[0].n > 0;
}

/** POST /api/v1/engines with the admin's cookie and the given headers; whether it was written. */
async function postEngine(headers: Record<string, string>, opts: { origin?: string | null; rawBody?: string } = {}) {
  const { cookie } = await session();
  const code = newCode();
  const rawBody = opts.rawBody ?? JSON.stringify({ code, name_ko: "교차 출처" });
  const res = await invoke(createEngine, request("POST", "/api/v1/engines", { rawBody, headers: { cookie, ...headers }, origin: opts.origin }));
  return { res, code, written: await engineExists(code) };
}

describe("cookie writes from another origin", () => {
  it("a page on another port of the same host is refused (403 cross_origin) and writes nothing", async () => {
    const { res, written } = await postEngine({}, { origin: SIBLING });
    expect(res.status).toBe(403);
    expect((await bodyOf<ErrorBody>(res)).error.code).toBe("cross_origin");
    expect(written).toBe(false);
  });

  it("the same request from the app's own origin is created", async () => {
    const { res, written } = await postEngine({});
    expect(res.status).toBe(201);
    expect(written).toBe(true);
  });

  it("Sec-Fetch-Site decides when present: same-site and cross-site are refused, same-origin passes", async () => {
    for (const site of ["same-site", "cross-site"]) {
      const { res, written } = await postEngine({ "sec-fetch-site": site }, { origin: SIBLING });
      expect(res.status, site).toBe(403);
      expect(written, site).toBe(false);
    }
    const { res, written } = await postEngine({ "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(201);
    expect(written).toBe(true);
  });

  it("a no-cors fetch's text/plain body is refused by Sec-Fetch-Site before its content type matters", async () => {
    const { res, written } = await postEngine({ "sec-fetch-site": "same-site", "content-type": "text/plain;charset=UTF-8" }, { origin: SIBLING });
    expect(res.status).toBe(403);
    expect(written).toBe(false);
  });

  it("Origin: null (a sandboxed or privacy-stripped page) is refused", async () => {
    const { res, written } = await postEngine({}, { origin: "null" });
    expect(res.status).toBe(403);
    expect(written).toBe(false);
  });

  it("without Origin and Sec-Fetch-Site (not a browser: curl, a script) the cookie write is accepted", async () => {
    const { res, written } = await postEngine({}, { origin: null });
    expect(res.status).toBe(201);
    expect(written).toBe(true);
  });

  it("an origin listed in APP_ORIGINS is accepted; one not listed still is not", async () => {
    process.env.APP_ORIGINS = `https://erp.example.com, ${SIBLING}`;
    resetEnvCache();
    const listed = await postEngine({ "sec-fetch-site": "same-site" }, { origin: SIBLING });
    expect(listed.res.status).toBe(201);
    const other = await postEngine({ "sec-fetch-site": "same-site" }, { origin: "http://localhost:5000" });
    expect(other.res.status).toBe(403);
    expect(other.written).toBe(false);
  });

  it("behind a proxy the forwarded host and scheme are the app's origin", async () => {
    const proxied = { "x-forwarded-host": "erp.example.com", "x-forwarded-proto": "https" };
    const ownPage = await postEngine(proxied, { origin: "https://erp.example.com" });
    expect(ownPage.res.status).toBe(201);
    const sibling = await postEngine(proxied, { origin: "https://evil.example.com" });
    expect(sibling.res.status).toBe(403);
    expect(sibling.written).toBe(false);
    const plainHttp = await postEngine(proxied, { origin: "http://erp.example.com" });
    expect(plainHttp.res.status).toBe(403);
  });

  it("a Bearer-token client is unaffected by Origin; Basic credentials (sent by browsers on their own) are not a token", async () => {
    const { token, cookie } = await session();
    const code = newCode();
    const body = { code, name_ko: "토큰" };
    const bearer = await invoke(createEngine, request("POST", "/api/v1/engines", { body, origin: SIBLING, headers: { authorization: `Bearer ${token}` } }));
    expect(bearer.status).toBe(201);
    const basic = await invoke(
      createEngine,
      request("POST", "/api/v1/engines", { body: { code: newCode(), name_ko: "기본" }, origin: SIBLING, headers: { cookie, authorization: "Basic dTpw" } }),
    );
    expect(basic.status).toBe(403);
  });

  it("reads are not affected: a GET from another origin answers", async () => {
    const { cookie } = await session();
    const res = await invoke(listEngines, request("GET", "/api/v1/engines", { headers: { cookie, origin: SIBLING, "sec-fetch-site": "same-site" } }));
    expect(res.status).toBe(200);
  });
});

describe("JSON endpoints take JSON only", () => {
  it.each([
    ["text/plain", "text/plain;charset=UTF-8"],
    ["a urlencoded form", "application/x-www-form-urlencoded"],
    ["multipart", "multipart/form-data; boundary=x"],
  ])("%s is 415 and writes nothing, even from the app's own origin", async (_, type) => {
    const { res, written } = await postEngine({ "content-type": type });
    expect(res.status).toBe(415);
    expect((await bodyOf<ErrorBody>(res)).error.code).toBe("unsupported_media_type");
    expect(written).toBe(false);
  });

  it("a body without any content type is 415 (a no-cors fetch of a Blob sends none)", async () => {
    const { cookie } = await session();
    const code = newCode();
    const req = new Request("http://localhost/api/v1/engines", {
      method: "POST",
      headers: { cookie, origin: "http://localhost" },
      body: new Blob([JSON.stringify({ code, name_ko: "블롭" })]),
    });
    expect(req.headers.get("content-type")).toBeNull();
    const res = await invoke(createEngine, req);
    expect(res.status).toBe(415);
    expect(await engineExists(code)).toBe(false);
  });

  it.each(["application/json", "application/json; charset=utf-8", "application/vnd.duly+json"])("%s is accepted", async (type) => {
    const { res, written } = await postEngine({ "content-type": type });
    expect(res.status).toBe(201);
    expect(written).toBe(true);
  });
});

describe("sign-in and sign-out from another origin", () => {
  it("a cross-origin login form is refused and sets no cookie (login CSRF); from the app it signs in", async () => {
    const body = { email: USERS.admin.email, password: DEMO_PASSWORD };
    const forged = await invoke(login, request("POST", "/api/v1/auth/login", { body, origin: SIBLING }));
    expect(forged.status).toBe(403);
    expect(setCookie(forged, "duly_session")).toBeUndefined();
    const own = await invoke(login, request("POST", "/api/v1/auth/login", { body }));
    expect(own.status).toBe(200);
    expect(setCookie(own, "duly_session")).toBeDefined();
  });

  it("a cross-origin logout form is refused and clears no cookie (logout CSRF); from the app it signs out", async () => {
    const { cookie } = await session();
    const form = { "content-type": "application/x-www-form-urlencoded", cookie };
    const forged = await invoke(logout, request("POST", "/api/v1/auth/logout", { rawBody: "", headers: form, origin: SIBLING }));
    expect(forged.status).toBe(403);
    expect(setCookie(forged, "duly_session")).toBeUndefined();
    const own = await invoke(logout, request("POST", "/api/v1/auth/logout", { rawBody: "", headers: form }));
    expect(own.status).toBe(303);
    expect(setCookie(own, "duly_session")).toMatch(/; Max-Age=0/);
  });
});

describe("multipart uploads are cookie writes too", () => {
  async function attachmentCount(): Promise<number> {
    return (await getDb().query<{ n: number }>("select count(*)::int as n from public.attachments"))[0].n;
  }

  function uploadRequest(cookie: string, origin?: string) {
    const form = new FormData();
    form.set("inspection_id", "00000000-0000-0000-0000-000000000000");
    return new Request("http://localhost/api/v1/attachments", { method: "POST", headers: { cookie, origin: origin ?? "http://localhost" }, body: form });
  }

  it("from another origin: 403 before the body is read, nothing stored", async () => {
    const { cookie } = await session();
    const before = await attachmentCount();
    const res = await invoke(uploadAttachment, uploadRequest(cookie, SIBLING));
    expect(res.status).toBe(403);
    expect((await bodyOf<ErrorBody>(res)).error.code).toBe("cross_origin");
    expect(await attachmentCount()).toBe(before);
  });

  it("from the app's own origin the multipart body is read (not refused as non-JSON): a missing file is 422", async () => {
    const { cookie } = await session();
    const res = await invoke(uploadAttachment, uploadRequest(cookie));
    expect(res.status).toBe(422);
    expect((await bodyOf<ErrorBody>(res)).error.code).toBe("validation_failed");
  });
});
