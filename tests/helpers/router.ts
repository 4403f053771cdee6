import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD, USERS, type DemoUser } from "./demo";
import { addBrowserOrigin } from "./http";
import { beforeAll } from "vitest";
import { checkAnswer, load as loadOpenApi } from "./openapi-check";

// Calls the app's route handlers the way Next.js routes a request: finds app/**/route.ts for the
// path (static segments before [param] and [...catchAll]), imports it and calls the method's
// export with a real Request. No server, same code.
//
// Kept rather than next-test-api-route-handler: that package tests one route module handed to
// it (it does not find the route for a URL, which is what these tests need across hundreds of
// requests), and it runs the module through Next's private app-route internals, which change
// between Next majors; this file uses only the public contract of a route handler (a Request in,
// a Response out, params as a promise), as Next 16 calls it.

const APP_DIR = path.resolve(__dirname, "../../app");

type Match = { file: string; params: Record<string, string | string[]> };

function match(dir: string, segments: string[], params: Record<string, string | string[]>): Match | null {
  if (segments.length === 0) {
    const file = path.join(dir, "route.ts");
    return existsSync(file) ? { file, params } : null;
  }
  const [head, ...rest] = segments;
  const entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  const exact = entries.find((e) => e.name === head);
  if (exact) {
    const found = match(path.join(dir, exact.name), rest, params);
    if (found) return found;
  }
  for (const e of entries) {
    const single = /^\[([^.\]]+)\]$/.exec(e.name);
    if (single) {
      const found = match(path.join(dir, e.name), rest, { ...params, [single[1]]: decodeURIComponent(head) });
      if (found) return found;
    }
  }
  for (const e of entries) {
    const catchAll = /^\[\.\.\.([^\]]+)\]$/.exec(e.name);
    if (catchAll) {
      const file = path.join(dir, e.name, "route.ts");
      if (existsSync(file)) return { file, params: { ...params, [catchAll[1]]: segments.map(decodeURIComponent) } };
    }
  }
  return null;
}

// The document the answers are checked against is built once per test file, before its tests
// (importing every route module takes a few seconds on a busy machine).
beforeAll(async () => {
  await loadOpenApi();
}, 60_000);

export type ApiResponse = { status: number; headers: Headers; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any endpoint; tests assert its shape

/** rawBody: sent as is (a FormData gets its multipart content type and boundary from Request; a stream is sent half-duplex). */
export type RequestOptions = {
  body?: unknown;
  rawBody?: string | FormData | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
  token?: string;
  cookie?: string;
};

export async function request(method: string, url: string, opts: RequestOptions = {}): Promise<ApiResponse> {
  const full = new URL(url, "http://localhost");
  const found = match(APP_DIR, full.pathname.split("/").filter(Boolean), {});
  if (!found) throw new Error(`No route for ${full.pathname}`);
  const mod = (await import(found.file)) as Record<string, (req: Request, ctx: unknown) => Promise<Response>>;
  const fn = mod[method];
  if (!fn) return { status: 405, headers: new Headers(), body: null };
  const headers = new Headers(opts.headers);
  if (opts.token) headers.set("authorization", `Bearer ${opts.token}`);
  if (opts.cookie) headers.set("cookie", opts.cookie);
  addBrowserOrigin(method, headers);
  let body: RequestOptions["rawBody"] = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers.set("content-type", "application/json");
  }
  const init: RequestInit & { duplex?: "half" } = { method, headers, body };
  if (body instanceof ReadableStream) init.duplex = "half";
  const res = await fn(new Request(full, init), { params: Promise.resolve(found.params) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  await checkAnswer(method, full.pathname, res.status, res.headers.get("content-type"), parsed);
  return { status: res.status, headers: res.headers, body: parsed };
}

// The sign-in in progress or done, per user: requests sent in parallel before the first sign-in
// finished share it (parallel sign-ins to one account would meet the sign-in rate limit).
const tokens = new Map<DemoUser, Promise<string>>();

/** Logs a demo user in through the API (once per file) and returns their bearer token. */
export function tokenFor(user: DemoUser): Promise<string> {
  let pending = tokens.get(user);
  if (!pending) {
    pending = (async () => {
      const res = await request("POST", "/api/v1/auth/login", { body: { email: USERS[user].email, password: DEMO_PASSWORD } });
      if (res.status !== 200) throw new Error(`login failed for ${user}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data.session.access_token as string;
    })();
    pending.catch(() => tokens.delete(user));
    tokens.set(user, pending);
  }
  return pending;
}

/**
 * Forget a demo user's token: the next request signs in again. For tests that end the user's
 * sessions on purpose (a role change, a deactivation, a global sign-out).
 */
export function forgetToken(user: DemoUser): void {
  tokens.delete(user);
}

/** A client acting as a demo user: api.get("/api/v1/items"), api.post(path, body, headers). */
export function client(user: DemoUser) {
  const send = async (method: string, url: string, body?: unknown, headers?: Record<string, string>) =>
    request(method, url, { body, headers, token: await tokenFor(user) });
  return {
    get: (url: string) => send("GET", url),
    post: (url: string, body?: unknown, headers?: Record<string, string>) => send("POST", url, body, headers),
    patch: (url: string, body?: unknown, headers?: Record<string, string>) => send("PATCH", url, body, headers),
    del: (url: string, headers?: Record<string, string>) => send("DELETE", url, undefined, headers),
  };
}

/**
 * A `fetch` that answers from the app's route handlers in this process (through request(), so
 * every answer is checked against the OpenAPI document): for clients written against a server
 * (openapi-fetch, scripts/api-walkthrough.ts). Sends no Origin, as a script does.
 */
export const inProcessFetch: typeof fetch = async (input, init) => {
  const req = new Request(input, init);
  const headers: Record<string, string> = { origin: "" };
  req.headers.forEach((v, k) => (headers[k] = v));
  const text = req.method === "GET" || req.method === "HEAD" ? undefined : await req.text();
  const url = new URL(req.url);
  const res = await request(req.method, url.pathname + url.search, { headers, rawBody: text || undefined });
  const body = res.body === null ? null : typeof res.body === "string" ? res.body : JSON.stringify(res.body);
  return new Response(body, { status: res.status, headers: res.headers });
};
