import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";

// A loopback stand-in for Supabase's HTTP APIs (PostgREST under /rest/v1, GoTrue under /auth/v1):
// it records every request and answers from routes the test registers. Unmatched requests get
// a 404 in PostgREST's error shape, so a missing route shows up as a failed call, not a hang.

export type RecordedRequest = {
  method: string;
  /** Path without the query string, e.g. /rest/v1/rpc/health_check. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
};

export type FakeResponse = { status?: number; body?: unknown; headers?: Record<string, string> };
export type Responder = (req: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export type FakeSupabase = {
  url: string;
  requests: RecordedRequest[];
  /** Answer `method path` (exact path, query ignored) with a fixed response or a function. */
  on(method: string, path: string, response: FakeResponse | Responder): void;
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
  let fallback: Responder | null = null;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const body = Buffer.concat(chunks).toString("utf8");
        const recorded: RecordedRequest = {
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
          json: parseJson(body),
        };
        requests.push(recorded);
        const route = routes.get(`${recorded.method} ${recorded.path}`) ?? fallback;
        let out: FakeResponse;
        try {
          out = route
            ? await route(recorded)
            : { status: 404, body: { code: "PGRST202", message: `fake: no route for ${recorded.method} ${recorded.path}`, details: null, hint: null } };
        } catch (error) {
          out = { status: 500, body: { message: String(error) } };
        }
        const payload = out.body === undefined ? "" : typeof out.body === "string" ? out.body : JSON.stringify(out.body);
        res.writeHead(out.status ?? 200, {
          "Content-Type": "application/json; charset=utf-8",
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
    fallback(responder) {
      fallback = responder;
    },
    server,
    reset() {
      fallback = null;
      routes.clear();
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
