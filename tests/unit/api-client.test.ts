import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { apiTypes, TYPES_FILE } from "../../scripts/api-types";
import { dulyClient, retryAfter429 } from "../../examples/api-client/example";

// The typed client example (examples/api-client, compiled with the project by tsc in CI) uses
// types generated from the OpenAPI document: they must be the document's current ones.

describe("examples/api-client/duly-api.d.ts", () => {
  it("is what npm run api:types generates from the current document", async () => {
    const committed = await readFile(TYPES_FILE, "utf8");
    expect(committed === (await apiTypes()), "run npm run api:types and commit examples/api-client/duly-api.d.ts").toBe(true);
  }, 60_000);
});

describe("examples/api-client retryAfter429", () => {
  const limited = () => new Response(JSON.stringify({ error: { code: "rate_limited", message: "Too many requests" } }), { status: 429, headers: { "content-type": "application/json", "retry-after": "7" } });
  const page = () => new Response(JSON.stringify({ data: [], page: 1, limit: 10, count: 0 }), { status: 200, headers: { "content-type": "application/json" } });

  it("waits the server's Retry-After and calls again, sending the same request", async () => {
    const answers = [limited(), page()];
    const sent: Request[] = [];
    const duly = dulyClient("http://erp.test", "duly_pat_x", async (input) => {
      sent.push(input as Request);
      return answers.shift()!;
    });
    const slept: number[] = [];
    const result = await retryAfter429(() => duly.GET("/api/v1/portal/stock", { params: { query: { limit: 10 } } }), 3, async (ms) => void slept.push(ms));
    expect(result.response.status).toBe(200);
    expect(result.data).toEqual({ data: [], page: 1, limit: 10, count: 0 });
    expect(slept).toEqual([7000]);
    expect(sent.map((r) => [r.url, r.headers.get("authorization")])).toEqual([
      ["http://erp.test/api/v1/portal/stock?limit=10", "Bearer duly_pat_x"],
      ["http://erp.test/api/v1/portal/stock?limit=10", "Bearer duly_pat_x"],
    ]);
  });

  it("gives up after the tries it is allowed, answering the last 429 with its error", async () => {
    let calls = 0;
    const duly = dulyClient("http://erp.test", "duly_pat_x", async () => (calls++, limited()));
    const result = await retryAfter429(() => duly.GET("/api/v1/portal/stock", {}), 2, async () => undefined);
    expect(calls).toBe(2);
    expect(result.error).toEqual({ error: { code: "rate_limited", message: "Too many requests" } });
  });
});
