import { describe, expect, it } from "vitest";
import { GET as catchAllGet, DELETE as catchAllDelete, PATCH as catchAllPatch, POST as catchAllPost, PUT as catchAllPut } from "@/app/api/[...path]/route";
import { GET as apiHealth } from "@/app/api/health/route";
import { GET as version } from "@/app/api/v1/version/route";
import { GET as legacyHealth } from "@/app/health/route";
import { GET as live } from "@/app/health/live/route";
import { GET as ready } from "@/app/health/ready/route";
import { GET as healthz } from "@/app/healthz/route";
import { setTransport } from "@/lib/db";
import { latestMigrationVersion } from "@/lib/db/migrate";
import { DbError, type Transport } from "@/lib/db/types";
import { handler, json } from "@/lib/http/handler";
import { bodyOf, expectIdentityHeaders, invoke, request } from "../helpers/http";
import { openPgliteTestDb } from "../helpers/pglite";
import { databaseForSuite } from "../helpers/test-db";

// Health endpoints, engine identity headers, the API's catch-all 404, and what a client sees
// of an internal error.

const getDb = databaseForSuite(openPgliteTestDb);

type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** The database as an outage looks from the app: calls that never answer, or that fail. */
function downTransport(kind: "hangs" | "refuses"): Transport {
  const never = () => new Promise<never>(() => undefined);
  const refuse = () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
  const fail = kind === "hangs" ? never : refuse;
  return { mode: "embedded", rpc: fail, ping: fail, close: async () => undefined };
}

async function withDatabaseDown<T>(kind: "hangs" | "refuses", work: () => Promise<T>): Promise<T> {
  setTransport(downTransport(kind));
  try {
    return await work();
  } finally {
    setTransport(getDb().transport);
  }
}

describe("GET /healthz", () => {
  it("is 200 with the documented shape", async () => {
    const res = await invoke(healthz, request("GET", "/healthz"));
    expect(res.status).toBe(200);
    expectIdentityHeaders(res);
    const body = await bodyOf(res);
    expect(body).toEqual({
      status: "healthy",
      app: "Duly ERP",
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      database: "ok",
      mode: "embedded",
      maintenance: false,
      engine: {
        name: expect.stringMatching(/\S/),
        commit: expect.stringMatching(/\S/),
        schema: await latestMigrationVersion(),
        env: expect.stringMatching(/^(production|preview|development)$/),
      },
    });
  });

  it("agrees with its response headers on the engine", async () => {
    const res = await invoke(healthz, request("GET", "/healthz"));
    const { engine } = await bodyOf<{ engine: Record<string, string> }>(res);
    expect(res.headers.get("x-engine-name")).toBe(engine.name);
    expect(res.headers.get("x-engine-commit")).toBe(engine.commit);
    expect(res.headers.get("x-engine-env")).toBe(engine.env);
  });

  it("is not cached", async () => {
    const res = await invoke(healthz, request("GET", "/healthz"));
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it.each([
    ["/health", legacyHealth],
    ["/api/health", apiHealth],
  ])("%s is the same report", async (path, route) => {
    const res = await invoke(route, request("GET", path));
    expect(res.status).toBe(200);
    expectIdentityHeaders(res);
    expect(await bodyOf(res)).toEqual(await bodyOf(await invoke(healthz, request("GET", "/healthz"))));
  });

  it("answers 503 unhealthy within 2 s when the database does not answer at all", async () => {
    await withDatabaseDown("hangs", async () => {
      const started = performance.now();
      const res = await invoke(healthz, request("GET", "/healthz"));
      const elapsed = performance.now() - started;
      expect(res.status).toBe(503);
      expectIdentityHeaders(res);
      expect(await bodyOf(res)).toMatchObject({ status: "unhealthy", database: "error", app: "Duly ERP", mode: "embedded" });
      expect(elapsed).toBeLessThan(2000);
    });
  });

  it("answers 503 unhealthy at once when the database refuses connections, and says nothing of why", async () => {
    await withDatabaseDown("refuses", async () => {
      const res = await invoke(healthz, request("GET", "/healthz"));
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ status: "unhealthy", database: "error" });
      expect(text).not.toMatch(/ECONNREFUSED|5432/);
    });
  });

  it("is healthy again once the database is back", async () => {
    await withDatabaseDown("refuses", async () => undefined);
    expect((await invoke(healthz, request("GET", "/healthz"))).status).toBe(200);
  });
});

describe("GET /health/ready and /health/live", () => {
  it("ready: 200 when the database answers and is migrated", async () => {
    const res = await invoke(ready, request("GET", "/health/ready"));
    expect(res.status).toBe(200);
    expectIdentityHeaders(res);
    expect(await bodyOf(res)).toMatchObject({ status: "ready", database: "ok", schema: await latestMigrationVersion() });
  });

  it("ready: 503 when the database is down", async () => {
    await withDatabaseDown("refuses", async () => {
      const res = await invoke(ready, request("GET", "/health/ready"));
      expect(res.status).toBe(503);
      expect(await bodyOf(res)).toMatchObject({ status: "not_ready", database: "error", schema: null });
    });
  });

  it("live: 200 without touching the database, even when it is down", async () => {
    await withDatabaseDown("hangs", async () => {
      const res = await invoke(live, request("GET", "/health/live"));
      expect(res.status).toBe(200);
      expectIdentityHeaders(res);
      expect(await bodyOf(res)).toMatchObject({ status: "alive" });
    });
  });
});

describe("GET /api/v1/version", () => {
  it("names the build, without the database", async () => {
    await withDatabaseDown("hangs", async () => {
      const res = await invoke(version, request("GET", "/api/v1/version"));
      expect(res.status).toBe(200);
      expectIdentityHeaders(res);
      expect(await bodyOf(res)).toMatchObject({ data: { app: "Duly ERP", mode: "embedded", engine: { name: expect.any(String) } } });
    });
  });
});

describe("the request id", () => {
  it("is kept when the client sends one, and made up otherwise", async () => {
    const echoed = await invoke(healthz, request("GET", "/healthz", { headers: { "x-request-id": "req-from-proxy-123" } }));
    expect(echoed.headers.get("x-request-id")).toBe("req-from-proxy-123");
    const a = (await invoke(live, request("GET", "/health/live"))).headers.get("x-request-id");
    const b = (await invoke(live, request("GET", "/health/live"))).headers.get("x-request-id");
    expect(a).toMatch(/\S/);
    expect(a).not.toBe(b);
  });
});

describe("unknown /api paths", () => {
  it.each([
    ["GET", catchAllGet],
    ["POST", catchAllPost],
    ["PUT", catchAllPut],
    ["PATCH", catchAllPatch],
    ["DELETE", catchAllDelete],
  ])("%s gets a JSON 404", async (method, route) => {
    // Not a path of the document, on purpose (documented: false).
    const res = await invoke(route, request(method, "/api/v1/no-such-thing/42"), { path: ["v1", "no-such-thing", "42"] }, { documented: false });
    expect(res.status).toBe(404);
    expectIdentityHeaders(res);
    expect(await bodyOf<ErrorBody>(res)).toEqual({ error: { code: "not_found", message: "No such API endpoint" } });
  });
});

describe("an internal error", () => {
  const secret = "password=hunter2 at select * from auth.users where id = 'x' (/work/main/lib/secret.ts:12:34)";

  it("becomes a generic 500 that leaks nothing", async () => {
    const boom = handler({ auth: "none" }, async () => {
      throw new Error(secret);
    });
    const res = await invoke(boom, request("GET", "/api/v1/boom", { headers: { "x-request-id": "req-boom" } }), {}, { documented: false });
    expect(res.status).toBe(500);
    expectIdentityHeaders(res);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: "internal_error", message: expect.any(String), details: { request_id: "req-boom" } },
    });
    expect(text).not.toMatch(/hunter2|auth\.users|select|secret\.ts|\bat\b|Error:|stack/i);
  });

  it("from the database (an unexpected SQL error) leaks nothing either", async () => {
    const boom = handler({ auth: "none" }, async () => {
      const rows = await getDb().transport.rpc("no_such_function_here", { p_secret: "hunter2" }, { role: "service_role" });
      return json(rows);
    });
    const res = await invoke(boom, request("GET", "/api/v1/boom"), {}, { documented: false });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe("internal_error");
    expect(text).not.toMatch(/no_such_function_here|hunter2|42883|does not exist|public\./i);
  });

  it("an unmapped database error and a thrown non-Error value are handled the same way", async () => {
    for (const thrown of [new DbError("XX000", "internal: relation secret_table", "row 42 of secret_table", "try vacuum"), "secret_table string"]) {
      const boom = handler({ auth: "none" }, async () => {
        throw thrown;
      });
      const res = await invoke(boom, request("GET", "/api/v1/boom"), {}, { documented: false });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text).error.code).toBe("internal_error");
      expect(text).not.toMatch(/secret_table|XX000|row 42|vacuum/);
    }
  });
});
