import createClient from "openapi-fetch";
import type { paths } from "./duly-api";

// A typed client of the Duly ERP API (docs/api.md): openapi-fetch with the types openapi-typescript
// generated from the OpenAPI document (npm run api:types). Type-checked in CI with the project.

/** `fetch`: another transport than the global fetch (the project's tests pass one that calls the app in process). */
export function dulyClient(baseUrl: string, token: string, fetch?: typeof globalThis.fetch) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` }, ...(fetch ? { fetch } : {}) });
}

type Client = ReturnType<typeof dulyClient>;

/** Fails with the API's own error code and message. */
function fail(error: { error: { code: string; message: string } }): never {
  throw new Error(`${error.error.code}: ${error.error.message}`);
}

/** A list's JSON page (the same endpoints answer ?format=xlsx|csv with a file, typed as a string). */
function jsonPage<T extends object>(body: T | string): T {
  if (typeof body === "string") throw new Error("Expected JSON, got a file");
  return body;
}

/** Every page of a customer's goods in stock (pages of 100). */
export async function customerStock(duly: Client) {
  const rows = [];
  for (let page = 1; ; page++) {
    const { data, error } = await duly.GET("/api/v1/portal/stock", { params: { query: { page, limit: 100 } } });
    if (error) fail(error);
    const body = jsonPage(data);
    rows.push(...body.data);
    if (rows.length >= body.count || body.data.length === 0) return rows;
  }
}

/** The newest shipments of the customer. */
export async function customerShipments(duly: Client, limit = 50) {
  const { data, error } = await duly.GET("/api/v1/portal/shipments", { params: { query: { limit } } });
  if (error) fail(error);
  return jsonPage(data).data;
}

/** A draft inbound of `qty` units, submitted; safe to retry with the same key. */
export async function receive(duly: Client, input: { locationId: string; itemId: string; qty: number; key: string }) {
  const created = await duly.POST("/api/v1/inbounds", {
    params: { header: { "Idempotency-Key": input.key } },
    body: { location_id: input.locationId, lines: [{ item_id: input.itemId, qty: input.qty }] },
  });
  if (created.error) fail(created.error);
  const submitted = await duly.POST("/api/v1/inbounds/{id}/submit", { params: { path: { id: created.data.data.id as string } } });
  if (submitted.error) fail(submitted.error);
  return submitted.data.data;
}

/** A manager's token approves and commits a submitted flow (never one the manager created). */
export async function approveAndCommit(manager: Client, flowId: string) {
  const approved = await manager.POST("/api/v1/flows/{id}/approve", { params: { path: { id: flowId } } });
  if (approved.error) fail(approved.error);
  const committed = await manager.POST("/api/v1/flows/{id}/commit", { params: { path: { id: flowId } } });
  if (committed.error) fail(committed.error);
  return committed.data.data;
}

/**
 * Past a rate limit the API answers 429 rate_limited with Retry-After (seconds): wait that long
 * and call again, at most `tries` calls in all. A write retried this way keeps its Idempotency-Key,
 * so it has one effect whatever happened to an earlier answer.
 */
export async function retryAfter429<T extends { response: Response }>(call: () => Promise<T>, tries = 3, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const result = await call();
    if (result.response.status !== 429 || attempt >= tries) return result;
    await sleep((Number(result.response.headers.get("Retry-After")) || 1) * 1000);
  }
}
