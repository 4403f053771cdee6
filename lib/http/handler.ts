import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { authenticate, requestCredentials, type Actor } from "@/lib/auth";
import { appendCookies, type CookieToSet } from "@/lib/auth/cookies";
import { keptAlive } from "@/lib/auth/keep-alive";
import { canAny, type Action } from "@/lib/auth/permissions";
import type { Idempotency } from "@/lib/db";
import { isOutageAnswer } from "@/lib/db/outage";
import { toAppError } from "@/lib/db/to-app-error";
import { setEngineHeaders } from "@/lib/engine";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { exportFormat, exportResponse } from "@/lib/export/response";
import { requestCost, type ExportSpec } from "@/lib/export/spec";
import { issueDetails } from "@/lib/i18n/zod-issues";
import { log } from "@/lib/log";
import { recordRequest } from "@/lib/ops/metrics";
import { exemptFromMaintenance, maintenance, retryAfterSeconds } from "@/lib/ops/maintenance";
import { reportError } from "@/lib/observability/report";
import { canonicalJson } from "./canonical";
import { readJsonBody } from "./json-body";
import { assertSameOrigin } from "./origin";
import { enforceRequestLimit, requestCount, retryAfterOf } from "./rate-limit";
import { recordRouteInput } from "./route-specs";
import { setApiSecurityHeaders } from "./security-headers";

// Every route handler goes through here: request id, same-origin check for browser writes,
// authentication, rate limits, permission, JSON body limits and zod parsing, error mapping,
// engine and security headers, one log line. A list route with an `export` answers
// ?format=xlsx|csv here with the whole list as a file, for the same query.

type RouteContext = { params?: Promise<Record<string, string | string[] | undefined>> };

type Spec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  /**
   * 'user' (default): a signed-in user. 'public': no session needed, but an actor is loaded when
   * present. 'none': never touches the session (health checks must answer while the database is down).
   */
  auth?: "none" | "public" | "user";
  /** The action the caller must be allowed, or a list of which any one will do. */
  permission?: Action | readonly Action[];
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Answer even while the user must change their password (a temporary one, or a recovery
   * session): only what changing it needs (the password route, /me). Every other route answers
   * 403 password_change_required to such a user.
   */
  whilePasswordChangeRequired?: boolean;
  /** How many reads a GET counts as in the read rate limits (default 1; exports: EXPORT_READ_COST). */
  cost?: number;
  /** The list as a file for ?format=xlsx|csv (all rows for the query's filters and sort). */
  export?: ExportSpec<z.output<Q>>;
};

export type HandlerContext<P, Q, B, A> = {
  req: Request;
  requestId: string;
  params: P;
  query: Q;
  body: B;
  actor: A;
  /** Set when a write request carries an Idempotency-Key; pass it to the data function. */
  idempotency: Idempotency | undefined;
};

type Out<T extends z.ZodType | undefined> = T extends z.ZodType ? z.output<T> : undefined;

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { ...init, headers });
}

/** Each issue's input is reported to the message mapping (an empty field reads "required"), never sent back. */
const PARSE_OPTIONS = { reportInput: true } as const;

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function idempotencyFor(req: Request, url: URL, rawBody: unknown): Idempotency | undefined {
  const key = req.headers.get("idempotency-key");
  if (key === null || !WRITE_METHODS.has(req.method)) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new AppError("bad_request", "Idempotency-Key must be 1 to 200 visible ASCII characters");
  }
  const hash = createHash("sha256").update(`${req.method} ${url.pathname}\n${canonicalJson(rawBody ?? null)}`).digest("hex");
  return { key, hash, replayed: false };
}

function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}

export function handler<
  P extends z.ZodType = z.ZodType<Record<string, never>>,
  Q extends z.ZodType = z.ZodType<Record<string, never>>,
  B extends z.ZodType = z.ZodType<undefined>,
  S extends Spec<P, Q, B> = Spec<P, Q, B>,
>(
  spec: S & Spec<P, Q, B>,
  fn: (ctx: HandlerContext<Out<S["params"]>, Out<S["query"]>, Out<S["body"]>, S["auth"] extends "public" | "none" ? Actor | null : Actor>) => Promise<Response>,
) {
  // The API document reads what this route validates (lib/openapi).
  return recordRouteInput(async (req: Request, routeCtx?: RouteContext): Promise<Response> => {
    const started = performance.now();
    const requestId = req.headers.get("x-request-id") || randomUUID();
    const url = new URL(req.url);
    let actor: Actor | null = null;
    let idempotency: Idempotency | undefined;
    let sessionCookies: CookieToSet[] = [];
    let res: Response;
    try {
      const e = env();
      // Before anything else: a forged cross-site write must not even count against the user.
      assertSameOrigin(req, e.APP_ORIGINS);
      // A read or write is counted with the profile lookup, before anything else is done for the
      // request, whether it then succeeds or not.
      const count = requestCount(req, spec.cost ?? requestCost(spec as { export?: ExportSpec<never> }, url));
      if (spec.auth !== "none") {
        // A cookie session slides forward here (the proxy does not run for the API).
        const kept = await keptAlive(requestCredentials(req.headers, req.url));
        sessionCookies = kept.cookies;
        actor = await authenticate(kept.creds, count);
      }
      // Maintenance: everyone but admins is answered 503 (health, jobs and sign-in excepted).
      // The state is cached in memory for a few seconds (lib/ops/maintenance.ts).
      if (!exemptFromMaintenance(url.pathname) && actor?.role !== "admin") {
        const m = await maintenance();
        if (m.active) {
          throw new AppError("maintenance", "The system is under maintenance", { message: m.message, ends_at: m.ends_at, retry_after: retryAfterSeconds(m) });
        }
      }
      if ((spec.auth ?? "user") === "user" && !actor) throw new AppError("unauthorized", "Sign in first");
      if (actor) enforceRequestLimit(actor);
      // A read-only personal access token reads and nothing else.
      if (actor?.session.pat?.scope === "read" && WRITE_METHODS.has(req.method)) {
        throw new AppError("forbidden", "This token may only read");
      }
      if (actor?.mustChangePassword && !spec.whilePasswordChangeRequired) {
        throw new AppError("password_change_required", "Change your password first (POST /api/v1/auth/password)");
      }
      if (spec.permission !== undefined && !canAny(actor?.role, spec.permission)) {
        throw new AppError("forbidden", "You are not allowed to do this");
      }
      const rawParams = (await routeCtx?.params) ?? {};
      const params = spec.params ? spec.params.safeParse(rawParams) : { success: true as const, data: rawParams };
      if (!params.success) throw new AppError("not_found", "Not found");
      const query = spec.query ? spec.query.safeParse(queryObject(url), PARSE_OPTIONS) : { success: true as const, data: {} };
      if (!query.success) throw new AppError("bad_request", "Invalid query parameters", issueDetails(query.error, actor?.locale));
      let body: unknown;
      const rawBody = spec.body ? await readJsonBody(req, { maxBytes: e.JSON_BODY_MAX_BYTES, maxDepth: e.JSON_BODY_MAX_DEPTH }) : undefined;
      if (spec.body) {
        const parsed = spec.body.safeParse(rawBody, PARSE_OPTIONS);
        // Field messages in the signed-in user's language (lib/i18n/zod-issues.ts).
        if (!parsed.success) throw new AppError("validation_failed", "Some fields are missing or invalid", issueDetails(parsed.error, actor?.locale));
        body = parsed.data;
      }
      idempotency = idempotencyFor(req, url, rawBody);
      const format = spec.export ? exportFormat(url) : undefined;
      res =
        format && spec.export && actor
          ? await exportResponse(spec.export, format, actor, query.data as z.output<Q>)
          : await fn({
              req,
              requestId,
              params: params.data as never,
              query: query.data as never,
              body: body as never,
              actor: actor as never,
              idempotency,
            });
      if (idempotency?.replayed) res.headers.set("Idempotent-Replayed", "true");
    } catch (error) {
      res = errorResponse(error, requestId, { userId: actor?.id ?? null, route: url.pathname });
    }
    // Sent with errors too: a cookie the refresh found revoked is dropped by the browser. A cookie
    // the route set itself (a new session after a password change, a sign-out) wins.
    const routeSet = new Set(res.headers.getSetCookie().map((c) => c.slice(0, c.indexOf("="))));
    appendCookies(res.headers, sessionCookies.filter((c) => !routeSet.has(c.name)));
    res.headers.set("X-Request-Id", requestId);
    setEngineHeaders(res.headers);
    setApiSecurityHeaders(res.headers);
    if (!res.headers.has("Cache-Control")) res.headers.set("Cache-Control", "no-store");
    const ms = Math.round(performance.now() - started);
    // Counted in memory; written after the response (lib/ops/metrics.ts).
    recordRequest(url.pathname, res.status, ms);
    log.info("request", {
      requestId,
      method: req.method,
      route: url.pathname,
      status: res.status,
      ms,
      userId: actor?.id ?? null,
    });
    return res;
  }, spec);
}

export function errorResponse(error: unknown, requestId: string, context: { userId?: string | null; route?: string } = {}): Response {
  const appError = toAppError(error);
  if (appError) {
    // 4xx are answers, not incidents, and never reported; a 5xx AppError (a database result that
    // breaks its contract, a job's upstream refusing) is an incident all the same.
    // A database outage is reported once when it starts (lib/db/outage.ts), not per request.
    if (appError.status >= 500 && !isOutageAnswer(error)) reportError(error, { requestId, ...context });
    const retryAfter = appError.code === "rate_limited" || appError.code === "unavailable" || appError.code === "maintenance" ? retryAfterOf(appError.details) : null;
    return json(appError.toJSON(), { status: appError.status, headers: retryAfter ? { "Retry-After": String(retryAfter) } : undefined });
  }
  // Unknown: log everything on the server, tell the client nothing about it.
  log.error("request.failed", {
    requestId,
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
  reportError(error, { requestId, ...context });
  const generic = new AppError("internal_error", "Something went wrong. The error has been logged.", { request_id: requestId });
  return json(generic.toJSON(), { status: 500 });
}

/** `{data}` with a status (200 by default). */
export function ok(data: unknown, status = 200): Response {
  return json({ data }, { status });
}

/**
 * A list page as the API returns it: `{data, page, limit, count}`, with `count_exact` when the
 * list may estimate its count (false: `count` is an estimate).
 */
export function page(result: { data: unknown[]; page: number; limit: number; count: number; count_exact?: boolean }): Response {
  return json({
    data: result.data,
    page: result.page,
    limit: result.limit,
    count: result.count,
    ...(result.count_exact === undefined ? {} : { count_exact: result.count_exact }),
  });
}
