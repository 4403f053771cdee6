import { z } from "zod";
import { AppError } from "@/lib/errors";
import { handler } from "./handler";

// One route.ts for a family of URLs (app/api/v1/[kind]/[id]/[action]): the dynamic segments are
// zod enums, and each allowed combination has its own handler() with its own permission, schemas
// and answers. The dispatcher only picks the handler; everything else (authentication, limits,
// permission, parsing, headers) is the picked handler's, exactly as if it had its own route.ts.
// Any other value answers the JSON 404 that unknown API paths answer, before authentication.

type RouteContext = { params?: Promise<Record<string, string | string[] | undefined>> };
export type RouteFn = (req: Request, ctx?: RouteContext) => Promise<Response>;
type Values<S extends Record<string, readonly [string, ...string[]]>> = { [K in keyof S]: S[K][number] };

/** GET/POST/… on an API path no route serves: what app/api/[...path] answers too. */
export const noSuchEndpoint = handler({ auth: "none" }, async () => {
  throw new AppError("not_found", "No such API endpoint");
});

export type Dispatch = { segments: Record<string, readonly string[]>; pick: (values: Record<string, string>) => RouteFn | undefined };
const dispatches = new WeakMap<object, Dispatch>();

export function dispatch<S extends Record<string, readonly [string, ...string[]]>>(segments: S, pick: (values: Values<S>) => RouteFn | undefined): RouteFn {
  const schema = z.object(Object.fromEntries(Object.entries(segments).map(([name, values]) => [name, z.enum(values)])));
  const fn: RouteFn = async (req, ctx) => {
    const parsed = schema.safeParse((await ctx?.params) ?? {});
    const target = (parsed.success ? pick(parsed.data as Values<S>) : undefined) ?? noSuchEndpoint;
    return target(req, ctx);
  };
  dispatches.set(fn, { segments, pick: pick as Dispatch["pick"] });
  return fn;
}

/** What a dispatching route function serves (for the OpenAPI tests), or undefined for a plain one. */
export function dispatchOf(fn: unknown): Dispatch | undefined {
  return typeof fn === "function" ? dispatches.get(fn) : undefined;
}
