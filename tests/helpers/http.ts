import { beforeAll, expect } from "vitest";
import { checkAnswer, load as loadOpenApi } from "./openapi-check";

// Route handlers are called directly, as Next.js calls them: a Request, and for dynamic routes
// a context whose params is a promise. Every answer from /api/v1 is checked against the OpenAPI
// document, as tests/helpers/router.ts checks its own.

// The document is built once per test file, before its tests (importing every route module takes
// a few seconds on a busy machine).
beforeAll(async () => {
  await loadOpenApi();
}, 60_000);

export const BASE = "http://localhost";

type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A request as the app's own pages send it: a write carries the Origin a browser adds to every
 * POST/PUT/PATCH/DELETE, and a body is JSON unless a content-type says otherwise. Pass
 * `origin: null` for a client that sends none (curl, a script), or another origin for a forged one.
 */
export function request(
  method: string,
  path: string,
  init: { body?: unknown; rawBody?: string; headers?: Record<string, string>; origin?: string | null } = {},
) {
  const headers = new Headers(init.headers);
  const body: string | undefined = init.body !== undefined ? JSON.stringify(init.body) : init.rawBody;
  if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  addBrowserOrigin(method, headers, init.origin);
  return new Request(`${BASE}${path}`, { method, headers, body });
}

/** Sets the Origin a browser sends with a write: the page's own (as seen through a proxy), unless given. */
export function addBrowserOrigin(method: string, headers: Headers, origin?: string | null): void {
  if (SAFE.has(method.toUpperCase()) || headers.has("origin") || origin === null) return;
  const own = `${headers.get("x-forwarded-proto") ?? "http"}://${headers.get("x-forwarded-host") ?? new URL(BASE).host}`;
  headers.set("origin", origin ?? own);
}

/**
 * Calls a route handler and checks its answer against the OpenAPI document (status, content type,
 * JSON body). `documented: false` only for a handler a test builds itself, which is no route of the app.
 */
export async function invoke(
  route: (req: Request, ctx?: never) => Promise<Response>,
  req: Request,
  params: Record<string, string | string[]> = {},
  { documented = true }: { documented?: boolean } = {},
): Promise<Response> {
  const res = await (route as unknown as RouteHandler)(req, { params: Promise.resolve(params) });
  if (documented) {
    const type = res.headers.get("content-type");
    // Only a JSON body is read (from a copy): a stream or a file is checked by its status and type.
    const text = type?.startsWith("application/json") ? await res.clone().text() : "";
    await checkAnswer(req.method, new URL(req.url).pathname, res.status, type, text ? JSON.parse(text) : null);
  }
  return res;
}

export async function bodyOf<T = Record<string, unknown>>(res: Response): Promise<T> {
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  return (await res.json()) as T;
}

/** The Set-Cookie header for one cookie name (undefined when none is set). */
export function setCookie(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

/** The value a browser would send back for a Set-Cookie line. */
export function cookieValue(line: string): string {
  const first = line.split(";")[0];
  return first.slice(first.indexOf("=") + 1);
}

/** Every response carries a request id and the engine identity. */
export function expectIdentityHeaders(res: Response) {
  expect(res.headers.get("x-request-id")).toMatch(/\S/);
  for (const h of ["x-engine-name", "x-engine-commit", "x-engine-schema", "x-engine-env"]) {
    expect(res.headers.get(h), h).toMatch(/\S/);
  }
}
