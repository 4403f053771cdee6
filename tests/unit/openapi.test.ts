import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { routeInputOf } from "@/lib/http/route-specs";
import { openApiDocument, openApiPath } from "@/lib/openapi/document";
import { dispatchOf } from "@/lib/http/dispatch";
import { API_ROUTES, type RouteEntry } from "@/lib/openapi/registry";

// The OpenAPI document (GET /api/v1/openapi.json) against the code: it is a valid OpenAPI 3.1
// document, and it has exactly the routes and methods of app/api/v1 (each route.ts and each
// method it exports), so a new route cannot be left out of it.

const V1 = path.resolve(__dirname, "../../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

function routeFolders(dir = V1, rel = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && e.name === "route.ts") out.push(rel);
    if (e.isDirectory()) out.push(...routeFolders(path.join(dir, e.name), rel ? `${rel}/${e.name}` : e.name));
  }
  return out.sort();
}

/** Every combination of a dispatch table's segment values. */
function combinations(segments: Record<string, readonly string[]>): Record<string, string>[] {
  return Object.entries(segments).reduce<Record<string, string>[]>(
    (acc, [name, values]) => acc.flatMap((c) => values.map((v) => ({ ...c, [name]: v }))),
    [{}],
  );
}

/**
 * A route.ts that dispatches on its dynamic segments (lib/http/dispatch.ts) serves exactly the
 * URLs its entries document, each with the very handler the entry's module holds (so the request
 * side of the document is that handler's); one that does not dispatch has one entry, no URL.
 */
async function dispatchProblems(folder: string, method: string, fn: unknown, entries: RouteEntry[]): Promise<string[]> {
  const d = dispatchOf(fn);
  const withMethod = entries.filter((e) => method in e.methods);
  if (!d) {
    return withMethod.some((e) => e.path) || withMethod.length > 1 ? [`${method} ${openApiPath(folder)}: entries name URLs but the route does not dispatch`] : [];
  }
  const problems: string[] = [];
  const byPath = new Map(withMethod.map((e) => [e.path, e]));
  for (const values of combinations(d.segments)) {
    const target = d.pick(values);
    if (!target) continue;
    const url = folder.replace(/\[([^\]]+)\]/g, (whole, name: string) => values[name] ?? whole);
    const entry = byPath.get(url);
    if (!entry) problems.push(`${method} ${openApiPath(url)} is served by app/api/v1/${folder}/route.ts but not in lib/openapi/registry.ts`);
    else if ((await entry.load())[method] !== target) problems.push(`${method} ${openApiPath(url)}: the registry's handler is not the one the route dispatches to`);
    byPath.delete(url);
  }
  for (const url of byPath.keys()) problems.push(`${method} ${openApiPath(url ?? folder)} is in lib/openapi/registry.ts but app/api/v1/${folder}/route.ts does not serve it`);
  return problems;
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = await openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  }, 60_000);

  it("has every route.ts under app/api/v1 with every method it exports, and nothing else", async () => {
    const registered = new Map<string, RouteEntry[]>();
    for (const r of API_ROUTES) registered.set(r.folder, [...(registered.get(r.folder) ?? []), r]);
    const problems: string[] = [];
    const folders = routeFolders();
    for (const folder of folders) {
      const file = `app/api/v1/${folder ? `${folder}/` : ""}route.ts`;
      const mod = (await import(path.join(V1, folder, "route.ts"))) as Record<string, unknown>;
      const exported = METHODS.filter((m) => typeof mod[m] === "function");
      const entries = registered.get(folder);
      if (!entries) {
        problems.push(`${exported.join(", ")} ${openApiPath(folder)} (${file}) is not in lib/openapi/registry.ts: add route("${folder}", () => import("@/${file.replace(/\.ts$/, "")}"), {...})`);
        continue;
      }
      const documented = new Set(entries.flatMap((e) => Object.keys(e.methods)));
      for (const m of exported) if (!documented.has(m)) problems.push(`${m} ${openApiPath(folder)} (${file}) is exported but not in lib/openapi/registry.ts`);
      for (const m of documented) if (!exported.includes(m)) problems.push(`${m} ${openApiPath(folder)} is in lib/openapi/registry.ts but ${file} does not export it`);
      for (const m of exported) problems.push(...(await dispatchProblems(folder, m, mod[m], entries)));
    }
    for (const folder of registered.keys()) {
      if (!folders.includes(folder)) problems.push(`${openApiPath(folder)} is in lib/openapi/registry.ts but app/api/v1/${folder}/route.ts does not exist`);
    }
    expect(problems).toEqual([]);
    const doc = (await openApiDocument()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const expected = API_ROUTES.flatMap((r) => Object.keys(r.methods).map((m) => `${m} ${openApiPath(r.path ?? r.folder)}`));
    expect(documented.sort()).toEqual(expected.sort());
    expect(new Set(expected).size).toBe(expected.length);
  }, 120_000);

  it("documents the flow routes' URLs one by one, as they were before the dynamic segments", async () => {
    const doc = (await openApiDocument()) as { paths: Record<string, Record<string, unknown>> };
    for (const seg of ["inbounds", "outbounds", "transfers", "adjustments"]) {
      expect(Object.keys(doc.paths[`/api/v1/${seg}`]).sort()).toEqual(["get", "post"]);
      expect(Object.keys(doc.paths[`/api/v1/${seg}/{id}`]).sort()).toEqual(["get", "patch"]);
    }
    expect(Object.keys(doc.paths["/api/v1/flows/{id}"]).sort()).toEqual(["get", "patch"]);
    for (const seg of ["flows", "inbounds", "outbounds", "transfers", "adjustments"]) {
      for (const action of ["submit", "approve", "commit", "cancel", "reverse"]) expect(doc.paths[`/api/v1/${seg}/{id}/${action}`]).toHaveProperty("post");
    }
    // No templated kind or action reaches clients: the generic folder is not a documented path.
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/api/v1/{kind}"))).toEqual([]);
  });

  it("describes each handler's own request schemas", async () => {
    const doc = (await openApiDocument()) as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>> };
    // The registry's module for the items list is the route's handler: its query is the document's.
    const items = (await API_ROUTES.find((r) => r.folder === "items")!.load()) as Record<string, unknown>;
    expect(routeInputOf(items.GET)?.query).toBeDefined();
    const names = doc.paths["/api/v1/items"].get.parameters!.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["page", "limit", "q", "format"]));
    expect(doc.paths["/api/v1/tokens"].post.requestBody).toMatchObject({ required: true });
    expect(doc.paths["/api/v1/transfers"].post.requestBody).toMatchObject({
      content: { "application/json": { schema: { required: expect.arrayContaining(["from_location_id", "to_location_id", "lines"]) } } },
    });
    expect(doc.paths["/api/v1/inbounds/{id}/approve"].post).toMatchObject({ "x-permission": "flows:approve" });
  });
});

describe("the document's security schemes", () => {
  it("names the three ways to authenticate, each accepted by every signed-in operation, none by the public ones", async () => {
    const doc = (await openApiDocument()) as {
      paths: Record<string, Record<string, { security: Record<string, string[]>[] }>>;
      components: { securitySchemes: Record<string, Record<string, string>> };
    };
    expect(doc.components.securitySchemes).toMatchObject({
      personalAccessToken: { type: "http", scheme: "bearer", bearerFormat: expect.stringMatching(/^duly_pat_/) },
      bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      session: { type: "apiKey", in: "cookie" },
    });
    const three = [{ session: [] }, { bearer: [] }, { personalAccessToken: [] }];
    expect(doc.paths["/api/v1/portal/stock"].get.security).toEqual(three);
    expect(doc.paths["/api/v1/inbounds/{id}/commit"].post.security).toEqual(three);
    expect(doc.paths["/api/v1/tokens"].post.security).toEqual(three);
    // No sign-in: the document itself and signing in.
    expect(doc.paths["/api/v1/openapi.json"].get.security).toEqual([]);
    expect(doc.paths["/api/v1/auth/login"].post.security).toEqual([]);
  });
});

describe("the reference page's words (messages/*/api.json)", () => {
  it("have a summary for every operation and no other, the English one the document's own, and a name for every section", async () => {
    const doc = (await openApiDocument()) as { paths: Record<string, Record<string, { operationId: string; summary: string; tags: string[] }>> };
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    const catalogue = (locale: string) => JSON.parse(readFileSync(path.resolve(__dirname, `../../messages/${locale}/api.json`), "utf8")) as { tags: Record<string, string>; summaries: Record<string, string> };
    const en = catalogue("en");
    expect(Object.keys(en.summaries).sort()).toEqual(ops.map((o) => o.operationId).sort());
    for (const o of ops) expect(en.summaries[o.operationId], o.operationId).toBe(o.summary);
    for (const locale of ["ko", "zh"]) {
      const words = catalogue(locale);
      const same = ops.filter((o) => words.summaries[o.operationId] === o.summary).map((o) => o.operationId);
      expect(same, `${locale}: summaries left in English`).toEqual([]);
      for (const tag of new Set(ops.map((o) => o.tags[0]))) expect(words.tags[tag], `${locale} tags.${tag}`).toMatch(/\S/);
    }
  });
});

describe("the API tests' answer check (tests/helpers/openapi-check.ts)", () => {
  it("accepts an answer as documented", async () => {
    const { checkAnswer } = await import("../helpers/openapi-check");
    await expect(checkAnswer("GET", "/api/v1/tokens", 200, "application/json; charset=utf-8", { data: [] })).resolves.toBeUndefined();
    await expect(
      checkAnswer("GET", "/api/v1/tokens", 401, "application/json", { error: { code: "unauthorized", message: "Sign in first" } }),
    ).resolves.toBeUndefined();
  });

  it("refuses a body, status, content type or path the document does not declare, naming it", async () => {
    const { checkAnswer } = await import("../helpers/openapi-check");
    await expect(checkAnswer("GET", "/api/v1/tokens", 200, "application/json", { data: [{ id: "x" }] })).rejects.toThrow(/GET \/api\/v1\/tokens: the 200 body/);
    await expect(checkAnswer("GET", "/api/v1/items", 201, "application/json", { data: {} })).rejects.toThrow(/status 201 is not declared/);
    await expect(checkAnswer("GET", "/api/v1/tokens", 200, "text/html", "<p>")).rejects.toThrow(/answered text\/html/);
    await expect(checkAnswer("GET", "/api/v1/nowhere/else", 200, "application/json", {})).rejects.toThrow(/no path of the OpenAPI document/);
    await expect(checkAnswer("GET", "/api/v1/tokens", 400, "application/json", { error: { code: "no_such_code", message: "x" } })).rejects.toThrow(/does not match/);
  });
});
