import { readdirSync } from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { routeInputOf } from "@/lib/http/route-specs";
import { openApiDocument, openApiPath } from "@/lib/openapi/document";
import { API_ROUTES } from "@/lib/openapi/registry";

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

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = await openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  }, 60_000);

  it("has every route.ts under app/api/v1 with every method it exports, and nothing else", async () => {
    const registered = new Map(API_ROUTES.map((r) => [r.folder, r]));
    const problems: string[] = [];
    const folders = routeFolders();
    for (const folder of folders) {
      const file = `app/api/v1/${folder ? `${folder}/` : ""}route.ts`;
      const mod = (await import(path.join(V1, folder, "route.ts"))) as Record<string, unknown>;
      const exported = METHODS.filter((m) => typeof mod[m] === "function");
      const entry = registered.get(folder);
      if (!entry) {
        problems.push(`${exported.join(", ")} ${openApiPath(folder)} (${file}) is not in lib/openapi/registry.ts: add route("${folder}", () => import("@/${file.replace(/\.ts$/, "")}"), {...})`);
        continue;
      }
      for (const m of exported) if (!(m in entry.methods)) problems.push(`${m} ${openApiPath(folder)} (${file}) is exported but not in lib/openapi/registry.ts`);
      for (const m of Object.keys(entry.methods)) if (!exported.includes(m)) problems.push(`${m} ${openApiPath(folder)} is in lib/openapi/registry.ts but ${file} does not export it`);
    }
    for (const folder of registered.keys()) {
      if (!folders.includes(folder)) problems.push(`${openApiPath(folder)} is in lib/openapi/registry.ts but app/api/v1/${folder}/route.ts does not exist`);
    }
    expect(problems).toEqual([]);
    const doc = (await openApiDocument()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const expected = API_ROUTES.flatMap((r) => Object.keys(r.methods).map((m) => `${m} ${openApiPath(r.folder)}`));
    expect(documented.sort()).toEqual(expected.sort());
  }, 120_000);

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
