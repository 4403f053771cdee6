import type { z } from "zod";

// What handler() validates for each route function: the API document (lib/openapi) reads the
// request parts from here, so it describes exactly the schemas the handlers parse with.

export type RouteInput = {
  auth?: "none" | "public" | "user";
  permission?: unknown;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Answers while the user must change their password (otherwise 403 password_change_required). */
  whilePasswordChangeRequired?: boolean;
  /** Answers ?format=xlsx|csv with a file. */
  export?: unknown;
};

const specs = new WeakMap<object, RouteInput>();

export function recordRouteInput<F extends object>(fn: F, spec: RouteInput): F {
  specs.set(fn, spec);
  return fn;
}

/** The spec a route function was made with, or undefined when it does not go through handler(). */
export function routeInputOf(fn: unknown): RouteInput | undefined {
  return typeof fn === "function" ? specs.get(fn) : undefined;
}
