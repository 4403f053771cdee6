import { expect } from "vitest";

// Route handlers are called directly, as Next.js calls them: a Request, and for dynamic routes
// a context whose params is a promise.

export const BASE = "http://localhost";

type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export function request(method: string, path: string, init: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return new Request(`${BASE}${path}`, { method, headers, body });
}

export function invoke(route: (req: Request, ctx?: never) => Promise<Response>, req: Request, params: Record<string, string | string[]> = {}) {
  return (route as unknown as RouteHandler)(req, { params: Promise.resolve(params) });
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
