import * as Sentry from "@sentry/nextjs";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/handler";
import { setMonitoringUser } from "@/lib/observability/report";
import { scrubBreadcrumb, scrubEvent } from "@/lib/observability/scrub";
import { startFakeSentry, type FakeSentry } from "../helpers/fake-sentry";
import { openTestDatabase } from "../helpers/pglite";
import { USERS } from "../helpers/demo";
import { request, tokenFor } from "../helpers/router";

// Sentry end to end, against a fake ingest server on loopback: our server config initialises the
// real Node SDK; an unexpected error in a route handler (through our wrapper) and an error in a
// page (Next.js's onRequestError hook, which instrumentation.ts hands to Sentry) arrive with the
// user's id and the error, and without any email, IP address, cookie or authorization value.
// Without a DSN nothing is initialised; expected errors (4xx) are never reported.

const EMAIL = "customer@acme.test";
const IP = "203.0.113.7";
const COOKIE_VALUE = "cookie-secret-6f1d2a";

let sentry: FakeSentry;
let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
let token: string;

const saved = { ...process.env };

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  sentry = await startFakeSentry();
  token = await tokenFor("korean");
  // The business-line list fails inside the database with a message that quotes personal data,
  // as a buggy function or a driver error might.
  const [fn] = (
    await db.query<{ args: string; result: string }>(
      `select pg_get_function_arguments(p.oid) as args, pg_get_function_result(p.oid) as result
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.proname = 'engines_list'`,
    )
  ).rows;
  await db.exec(
    `create or replace function public.engines_list(${fn.args}) returns ${fn.result} language plpgsql as $$
     begin raise exception 'engines broke for ${EMAIL} from ${IP}' using errcode = 'XX000'; end $$`,
  );
});

afterAll(async () => {
  await Sentry.close(2000);
  await sentry.close();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  resetEnvCache();
});

/** A request as a browser with a session would send it: bearer token, cookie, client address. */
function failingRequest(requestId: string) {
  return request("GET", "/api/v1/engines?token=url-token-55aa", {
    token,
    cookie: `sb-access-token=${COOKIE_VALUE}`,
    headers: { "x-request-id": requestId, "x-forwarded-for": IP, "x-real-ip": IP },
  });
}

function expectNothingPersonal(raw: string) {
  for (const secret of [EMAIL, IP, COOKIE_VALUE, token, "url-token-55aa"]) expect(raw).not.toContain(secret);
}

async function flushed() {
  await Sentry.flush(5000);
}

describe("without a DSN", () => {
  it("Sentry is not initialised, and an unexpected error still answers a generic 500 and sends nothing", async () => {
    expect(Sentry.getClient()).toBeUndefined();
    const res = await failingRequest("req-no-dsn");
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: "internal_error", details: { request_id: "req-no-dsn" } });
    expect(JSON.stringify(res.body)).not.toContain(EMAIL);
    await new Promise((r) => setTimeout(r, 200));
    expect(sentry.envelopes).toHaveLength(0);
  });
});

describe("the request log", () => {
  it("has one line per request with the request id, route, status, duration and user id, and nothing personal", async () => {
    process.env.LOG_LEVEL = "info";
    resetEnvCache();
    const lines: string[] = [];
    const out = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const err = vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    try {
      expect((await failingRequest("req-log-1")).status).toBe(500);
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.env.LOG_LEVEL = "silent";
      resetEnvCache();
    }
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.filter((l) => l.event === "request")).toEqual([
      expect.objectContaining({ requestId: "req-log-1", method: "GET", route: "/api/v1/engines", status: 500, ms: expect.any(Number), userId: USERS.korean.id }),
    ]);
    expect(parsed.find((l) => l.event === "request.failed")).toMatchObject({ requestId: "req-log-1", error: { message: "engines broke for [email] from [ip]" } });
    for (const line of lines) expectNothingPersonal(line);
  });
});

describe("with a DSN", () => {
  beforeAll(async () => {
    process.env.SENTRY_DSN = sentry.dsn;
    process.env.SENTRY_TRACES_SAMPLE_RATE = "1";
    process.env.VERCEL_ENV = "preview";
    process.env.DULY_BUILD_COMMIT = "0123456789ab";
    resetEnvCache();
    await (await import("@/sentry.server.config")).ready;
  });

  it("our server config initialised the SDK with no default PII and the scrubbers", () => {
    const options = Sentry.getClient()?.getOptions();
    expect(options).toMatchObject({ dsn: sentry.dsn, sendDefaultPii: false, environment: "preview", release: "0123456789ab", tracesSampleRate: 1, traceLifecycle: "static" });
    expect(options?.beforeSend).toBe(scrubEvent);
    expect(options?.beforeSendTransaction).toBe(scrubEvent);
    expect(options?.beforeBreadcrumb).toBe(scrubBreadcrumb);
  });

  it("reports an error thrown in a route handler with the user id and request id, and nothing personal", async () => {
    const before = sentry.envelopes.length;
    const res = await failingRequest("req-route-1");
    expect(res.status).toBe(500);
    expect(res.body.error.message).not.toContain("engines broke");
    await flushed();
    const fresh = sentry.envelopes.slice(before);
    const events = fresh.flatMap((e) => e.items.filter((i) => i.type === "event").map((i) => i.payload));
    expect(events).toHaveLength(1);
    const event = events[0] as { user: unknown; tags: Record<string, string>; exception: { values: { value: string }[] }; environment: string; release: string };
    expect(event.user).toEqual({ id: USERS.korean.id });
    expect(event.tags).toMatchObject({ request_id: "req-route-1", route: "/api/v1/engines" });
    expect(event.exception.values[0].value).toBe("engines broke for [email] from [ip]");
    expect(event).toMatchObject({ environment: "preview", release: "0123456789ab" });
    for (const e of fresh) expectNothingPersonal(e.raw);
  });

  it("reports a page's error through onRequestError with the user id, and drops cookies, authorization and addresses", async () => {
    const { onRequestError } = await import("@/instrumentation");
    const before = sentry.envelopes.length;
    await Sentry.withIsolationScope(async () => {
      // What currentActor() does for a page once it knows who is signed in.
      setMonitoringUser(USERS.acme.id);
      onRequestError(
        new Error(`Cannot render the portal for ${EMAIL}`),
        {
          path: "/portal?token=url-token-55aa",
          method: "GET",
          headers: {
            cookie: `sb-access-token=${COOKIE_VALUE}`,
            authorization: `Bearer ${token}`,
            "x-forwarded-for": IP,
            "x-real-ip": IP,
            "user-agent": "vitest-browser",
          },
        },
        { routerKind: "App Router", routePath: "/portal", routeType: "render" },
      );
    });
    await flushed();
    const fresh = sentry.envelopes.slice(before);
    const events = fresh.flatMap((e) => e.items.filter((i) => i.type === "event").map((i) => i.payload));
    expect(events).toHaveLength(1);
    const event = events[0] as { user: unknown; exception: { values: { value: string }[] }; request?: { headers?: Record<string, string> } };
    expect(event.user).toEqual({ id: USERS.acme.id });
    expect(event.exception.values[0].value).toBe("Cannot render the portal for [email]");
    for (const e of fresh) expectNothingPersonal(e.raw);
    for (const e of fresh) expect(e.raw.toLowerCase()).not.toMatch(/"(cookie|authorization|x-forwarded-for|x-real-ip)"/);
  });

  it("reports a 5xx AppError (an incident with a code) but not a 4xx one", async () => {
    const before = sentry.envelopes.length;
    expect(errorResponse(new AppError("internal_error", "Unexpected result from engines_list"), "req-5xx", { userId: USERS.manager.id }).status).toBe(500);
    expect(errorResponse(new AppError("conflict", "Already exists"), "req-409", { userId: USERS.manager.id }).status).toBe(409);
    await flushed();
    const events = sentry.envelopes.slice(before).flatMap((e) => e.items.filter((i) => i.type === "event").map((i) => i.payload));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ user: { id: USERS.manager.id }, tags: { request_id: "req-5xx" } });
  });

  it("scrubs transactions and their spans (beforeSendTransaction)", async () => {
    const before = sentry.envelopes.length;
    Sentry.startSpan({ name: "GET /portal?token=url-token-55aa", forceTransaction: true, attributes: { "client.address": IP, "user.email": EMAIL } }, () => {
      Sentry.startSpan({ name: `lookup ${EMAIL}`, attributes: { "http.url": "/x?access_token=url-token-55aa" } }, () => undefined);
    });
    await flushed();
    const fresh = sentry.envelopes.slice(before);
    const transactions = fresh.flatMap((e) => e.items.filter((i) => i.type === "transaction").map((i) => i.payload));
    expect(transactions).toHaveLength(1);
    expect(transactions[0]).toMatchObject({ transaction: "GET /portal?token=[redacted]", spans: [{ description: "lookup [email]" }] });
    for (const e of fresh) expectNothingPersonal(e.raw);
  });

  it("sends nothing for expected errors: 404, 403 and 401 are answers, not incidents", async () => {
    const before = sentry.envelopes.length;
    const missing = await request("GET", `/api/v1/engines/${randomUUID()}`, { token });
    expect(missing.status).toBe(404);
    const forbidden = await request("GET", "/api/v1/engines/" + randomUUID(), { token: await tokenFor("acme") });
    expect(forbidden.status).toBe(403);
    const anonymous = await request("GET", "/api/v1/engines");
    expect(anonymous.status).toBe(401);
    await flushed();
    const events = sentry.envelopes.slice(before).flatMap((e) => e.items.filter((i) => i.type === "event"));
    expect(events).toHaveLength(0);
  });
});
