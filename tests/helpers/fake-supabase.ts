import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";

// A loopback stand-in for Supabase's HTTP APIs (PostgREST under /rest/v1, GoTrue under /auth/v1,
// Storage under /storage/v1 — see installFakeStorage): it records every request and answers from
// routes the test registers. Unmatched requests get a 404 in PostgREST's error shape, so a
// missing route shows up as a failed call, not a hang.

export type RecordedRequest = {
  method: string;
  /** Path without the query string, e.g. /rest/v1/rpc/health_check. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes (files sent to Storage). */
  raw: Buffer;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
};

/** A Uint8Array body is sent as bytes; anything else but a string as JSON. */
export type FakeResponse = { status?: number; body?: unknown; headers?: Record<string, string> };
export type Responder = (req: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export type FakeSupabase = {
  url: string;
  requests: RecordedRequest[];
  /** Answer `method path` (exact path, query ignored) with a fixed response or a function. */
  on(method: string, path: string, response: FakeResponse | Responder): void;
  /** Answer `method` on every path under `prefix` (exact routes win; the longest prefix first). */
  onPrefix(method: string, prefix: string, response: FakeResponse | Responder): void;
  /** Answer every request no route matches (instead of the 404). */
  fallback(responder: Responder | null): void;
  /** The HTTP server itself (a fake Realtime attaches its websocket upgrade here). */
  server: Server;
  /** Forget routes and recorded requests. */
  reset(): void;
  close(): Promise<void>;
};

/**
 * supabase-js builds a Realtime client in createClient(), which throws on Node < 22 when there is
 * no global WebSocket. `next start` installs one from its bundled `ws`
 * (next/dist/server/node-environment-baseline.js); tests outside Next do the same here.
 */
export function installNextWebSocket(): void {
  if (typeof globalThis.WebSocket === "function") return;
  const require = createRequire(import.meta.url);
  const { WebSocket } = require("next/dist/compiled/ws") as { WebSocket: typeof globalThis.WebSocket };
  Object.defineProperty(globalThis, "WebSocket", { configurable: true, writable: true, value: WebSocket });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function startFakeSupabase(): Promise<FakeSupabase> {
  const requests: RecordedRequest[] = [];
  const routes = new Map<string, Responder>();
  const prefixes: { method: string; prefix: string; responder: Responder }[] = [];
  let fallback: Responder | null = null;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const raw = Buffer.concat(chunks);
        const body = raw.toString("utf8");
        const recorded: RecordedRequest = {
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
          raw,
          json: parseJson(body),
        };
        requests.push(recorded);
        const route =
          routes.get(`${recorded.method} ${recorded.path}`) ??
          prefixes.find((p) => p.method === recorded.method && recorded.path.startsWith(p.prefix))?.responder ??
          fallback;
        let out: FakeResponse;
        try {
          out = route
            ? await route(recorded)
            : { status: 404, body: { code: "PGRST202", message: `fake: no route for ${recorded.method} ${recorded.path}`, details: null, hint: null } };
        } catch (error) {
          out = { status: 500, body: { message: String(error) } };
        }
        const binary = out.body instanceof Uint8Array;
        const payload = out.body === undefined ? "" : binary || typeof out.body === "string" ? (out.body as string | Uint8Array) : JSON.stringify(out.body);
        res.writeHead(out.status ?? 200, {
          "Content-Type": binary ? "application/octet-stream" : "application/json; charset=utf-8",
          ...out.headers,
        });
        res.end(payload);
      })();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(method, path, response) {
      routes.set(`${method.toUpperCase()} ${path}`, typeof response === "function" ? response : () => response);
    },
    onPrefix(method, prefix, response) {
      prefixes.push({ method: method.toUpperCase(), prefix, responder: typeof response === "function" ? response : () => response });
      prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    },
    fallback(responder) {
      fallback = responder;
    },
    server,
    reset() {
      fallback = null;
      routes.clear();
      prefixes.length = 0;
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

// --- Storage -------------------------------------------------------------------------------------

export type FakeStorageOptions = {
  /** The service-role key the server must send (the only key with access besides signed URLs). */
  serviceRoleKey: string;
  /** The bucket's file_size_limit and allowed_mime_types, as the migration sets them. */
  fileSizeLimit?: number;
  allowedMimeTypes?: string[];
};

export type FakeStorage = {
  /** Objects by "<bucket>/<path>". */
  objects: Map<string, { bytes: Buffer; contentType: string }>;
};

const storageError = (status: number, statusCode: string, error: string, message: string): FakeResponse => ({
  status,
  body: { statusCode, error, message },
});

/**
 * An in-memory Storage API with the routes the app and storage-js use: service-role upload,
 * authenticated download, delete by prefixes, signed upload URLs (POST /object/upload/sign/…,
 * then PUT with ?token=) that accept one object per path and enforce the bucket's size limit
 * and types, as Storage does.
 */
export function installFakeStorage(fake: FakeSupabase, opts: FakeStorageOptions): FakeStorage {
  const objects = new Map<string, { bytes: Buffer; contentType: string }>();
  const uploadTokens = new Map<string, string>();
  const service = (req: RecordedRequest) => req.headers.authorization === `Bearer ${opts.serviceRoleKey}` && req.headers.apikey === opts.serviceRoleKey;
  const keyOf = (path: string, prefix: string) => decodeURIComponent(path.slice(prefix.length));
  const contentTypeOf = (req: RecordedRequest) => String(req.headers["content-type"] ?? "").split(";")[0].trim();

  function store(key: string, req: RecordedRequest): FakeResponse {
    if (objects.has(key)) return storageError(400, "409", "Duplicate", "The resource already exists");
    const type = contentTypeOf(req);
    if (opts.allowedMimeTypes && !opts.allowedMimeTypes.includes(type)) {
      return storageError(400, "415", "invalid_mime_type", `mime type ${type} is not supported`);
    }
    if (opts.fileSizeLimit !== undefined && req.raw.length > opts.fileSizeLimit) {
      return storageError(400, "413", "Payload too large", "The object exceeded the maximum allowed size");
    }
    objects.set(key, { bytes: req.raw, contentType: type });
    return { status: 200, body: { Key: key } };
  }

  fake.onPrefix("POST", "/storage/v1/object/upload/sign/", (req) => {
    if (!service(req)) return storageError(400, "403", "Unauthorized", "new row violates row-level security policy");
    const key = keyOf(req.path, "/storage/v1/object/upload/sign/");
    const token = `fake-upload-${crypto.randomUUID()}`;
    uploadTokens.set(token, key);
    return { body: { url: `/object/upload/sign/${key}?token=${token}` } };
  });
  fake.onPrefix("PUT", "/storage/v1/object/upload/sign/", (req) => {
    const key = keyOf(req.path, "/storage/v1/object/upload/sign/");
    const token = req.query.get("token") ?? "";
    if (uploadTokens.get(token) !== key) return storageError(400, "403", "InvalidSignature", "The signature is invalid");
    return store(key, req);
  });
  fake.onPrefix("POST", "/storage/v1/object/", (req) => {
    if (!service(req)) return storageError(400, "403", "Unauthorized", "new row violates row-level security policy");
    return store(keyOf(req.path, "/storage/v1/object/"), req);
  });
  fake.onPrefix("GET", "/storage/v1/object/authenticated/", (req) => {
    const found = service(req) ? objects.get(keyOf(req.path, "/storage/v1/object/authenticated/")) : undefined;
    if (!found) return storageError(400, "404", "not_found", "Object not found");
    return { body: new Uint8Array(found.bytes), headers: { "Content-Type": found.contentType, "Content-Length": String(found.bytes.length) } };
  });
  fake.onPrefix("DELETE", "/storage/v1/object/", (req) => {
    if (!service(req)) return storageError(400, "403", "Unauthorized", "Unauthorized");
    const bucket = keyOf(req.path, "/storage/v1/object/");
    const removed = ((req.json as { prefixes?: string[] })?.prefixes ?? []).filter((p) => objects.delete(`${bucket}/${p}`));
    return { body: removed.map((name) => ({ name, bucket_id: bucket })) };
  });
  return { objects };
}
