import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { api, newRequestKey, requestKeys, sendBytes, sendRaw } from "@/components/toolkit/api";

// The browser's one API client against a small loopback HTTP server: what it sends (method,
// JSON body, Idempotency-Key) and the one result shape of every answer.

type Seen = { method?: string; url?: string; headers: IncomingMessage["headers"]; body: string };
let server: Server;
let base = "";
const seen: Seen[] = [];

function reply(res: import("node:http").ServerResponse, status: number, body: string, type = "application/json") {
  res.writeHead(status, { "Content-Type": type });
  res.end(body);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === "/ok") return reply(res, 201, JSON.stringify({ data: { id: "a1", echo: body ? JSON.parse(body) : null } }));
      if (req.url === "/empty") return reply(res, 204, "");
      if (req.url === "/conflict") return reply(res, 409, JSON.stringify({ error: { code: "conflict", message: "Already exists", details: [{ path: "sku", message: "taken" }] } }));
      if (req.url === "/html") return reply(res, 502, "<html>Bad gateway</html>", "text/html");
      if (req.url === "/slow") return void setTimeout(() => reply(res, 200, JSON.stringify({ data: 1 })), 2_000);
      if (req.url === "/storage-refused") return reply(res, 413, JSON.stringify({ statusCode: "413", message: "Payload too large" }));
      if (req.url === "/upload-route-refused") return reply(res, 422, JSON.stringify({ error: { code: "validation_failed", message: "bad", details: [{ path: "file", reason: "type" }] } }));
      reply(res, 404, JSON.stringify({ error: { code: "not_found", message: "Not found" } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** An address nothing listens on (a port just freed). */
async function unreachable(): Promise<string> {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  return `http://127.0.0.1:${port}/nothing`;
}

describe("api()", () => {
  it("sends the method, a JSON body and the Idempotency-Key, and answers ok with status and data", async () => {
    const res = await api<{ id: string; echo: unknown }>("POST", `${base}/ok`, { body: { a: 1 }, idempotencyKey: "k-1" });
    expect(res).toEqual({ ok: true, status: 201, data: { id: "a1", echo: { a: 1 } } });
    const req = seen.at(-1)!;
    expect(req.method).toBe("POST");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["idempotency-key"]).toBe("k-1");
    expect(req.headers.accept).toBe("application/json");
  });

  it("sends no body, Content-Type or key when none is given", async () => {
    const res = await api("DELETE", `${base}/empty`);
    expect(res).toEqual({ ok: true, status: 204, data: undefined });
    const req = seen.at(-1)!;
    expect(req.method).toBe("DELETE");
    expect(req.body).toBe("");
    expect(req.headers["content-type"]).toBeUndefined();
    expect(req.headers["idempotency-key"]).toBeUndefined();
    expect(req.headers.accept).toBe("application/json");
  });

  it("turns an API error into {status, code, message, details}", async () => {
    const res = await api("PATCH", `${base}/conflict`, { body: {} });
    expect(res).toEqual({ ok: false, error: { status: 409, code: "conflict", message: "Already exists", details: [{ path: "sku", message: "taken" }] } });
  });

  it("answers an error that is not JSON as internal_error with the status", async () => {
    const res = await api("GET", `${base}/html`);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error).toMatchObject({ status: 502, code: "internal_error" });
  });

  it("turns a network failure into the code network (status 0)", async () => {
    const res = await api("GET", await unreachable());
    expect(res).toEqual({ ok: false, error: { status: 0, code: "network", message: "Network error" } });
  });

  it("rethrows an abort instead of answering a failure", async () => {
    const controller = new AbortController();
    const pending = api("GET", `${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("sendBytes()", () => {
  it("answers ok for stored bytes, and the API's own error from the app's upload route", async () => {
    expect(await sendBytes(`${base}/empty`, { method: "PUT", body: new Blob(["x"]) })).toEqual({ ok: true, status: 204, data: null });
    const refused = await sendBytes(`${base}/upload-route-refused`, { method: "PUT", body: new Blob(["x"]) });
    expect(refused).toMatchObject({ ok: false, error: { status: 422, code: "validation_failed", details: [{ path: "file", reason: "type" }] } });
  });

  it("calls a refusal in Storage's own shape upload_refused", async () => {
    const refused = await sendBytes(`${base}/storage-refused`, { method: "PUT", body: new Blob(["x"]) });
    expect(refused).toEqual({ ok: false, error: { status: 413, code: "upload_refused", message: "Payload too large" } });
  });
});

describe("sendRaw() (the API reference's Try it)", () => {
  it("sends the body text as JSON with the API's headers, and answers status, content type and body text as they came", async () => {
    const res = await sendRaw("POST", `${base}/ok`, '{"a": 1}');
    expect(res).toEqual({ status: 201, contentType: "application/json", text: JSON.stringify({ data: { id: "a1", echo: { a: 1 } } }) });
    const req = seen.at(-1)!;
    expect(req.body).toBe('{"a": 1}');
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.accept).toBe("application/json");
    expect(req.headers["idempotency-key"]).toBeUndefined();
  });

  it("sends no body or Content-Type without a body, and leaves an error page uninterpreted", async () => {
    expect(await sendRaw("GET", `${base}/html`)).toEqual({ status: 502, contentType: "text/html", text: "<html>Bad gateway</html>" });
    const req = seen.at(-1)!;
    expect(req.body).toBe("");
    expect(req.headers["content-type"]).toBeUndefined();
    expect(req.headers.accept).toBe("application/json");
  });

  it("answers null when the server cannot be reached", async () => {
    expect(await sendRaw("GET", await unreachable())).toBeNull();
  });
});

describe("request keys", () => {
  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it("makes a v4 UUID even where crypto.randomUUID is missing (plain-http LAN address)", () => {
    const randomUUID = crypto.randomUUID;
    vi.stubGlobal("crypto", { getRandomValues: crypto.getRandomValues.bind(crypto), randomUUID: undefined });
    try {
      const a = newRequestKey();
      const b = newRequestKey();
      expect(a).toMatch(UUID_V4);
      expect(a).not.toBe(b);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(crypto.randomUUID).toBe(randomUUID);
    expect(newRequestKey()).toMatch(UUID_V4);
  });

  it("gives the same body the same key and another body a new one", () => {
    const keyFor = requestKeys();
    const first = keyFor({ email: "a@example.com" });
    expect(keyFor({ email: "a@example.com" })).toBe(first);
    expect(keyFor({ email: "b@example.com" })).not.toBe(first);
    expect(requestKeys()({ email: "a@example.com" })).not.toBe(first);
  });
});
