import type { Breadcrumb, ErrorEvent, Event } from "@sentry/nextjs";
import { describe, expect, it } from "vitest";
import { scrub, scrubBreadcrumb, scrubEvent, scrubString, urlWithoutQuery } from "@/lib/observability/scrub";
import { browserSentryOptions } from "@/lib/observability/sentry-options";
import { serverSentryOptions } from "@/lib/observability/sentry-server-options";
import type { Env, PublicEnv } from "@/lib/env";

// The one scrubber behind Sentry's beforeSend, beforeSendTransaction and beforeBreadcrumb (and
// the JSON logs): what it removes, and what it must leave alone to keep events useful.

const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
const SECRETS = ["customer@acme.test", "203.0.113.7", "2001:db8::42", "s3cr3t-tok", "sb-access=abc123", JWT, "hunter2"];

function expectClean(value: unknown) {
  const text = JSON.stringify(value);
  for (const s of SECRETS) expect(text).not.toContain(s);
}

describe("scrubString", () => {
  it.each([
    ["mail to customer@acme.test failed", "mail to [email] failed"],
    ["from 203.0.113.7 and 10.0.0.1", "from [ip] and [ip]"],
    ["client 2001:db8::42 and ::1 and fe80:0:0:0:0:0:0:1", "client [ip] and [ip] and [ip]"],
    ["Authorization: Bearer abc.def-ghi", "Authorization: Bearer [redacted]"],
    [`token ${JWT} here`, "token [jwt] here"],
    ["/auth/callback?code=abc123&next=/flows", "/auth/callback?code=[redacted]&next=/flows"],
    ["/x?token=s3cr3t-tok&access_token=a&api_key=k&page=2#refresh_token=r", "/x?token=[redacted]&access_token=[redacted]&api_key=[redacted]&page=2#refresh_token=[redacted]"],
    ["/users?email=customer%40acme.test", "/users?email=[redacted]"],
  ])("%s", (input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  it.each([
    "GET /api/v1/flows/1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed 500",
    "2026-11-30T06:33:28.123Z took 12:30:45",
    "node_modules/@sentry/nextjs@11.5.0/build/cjs/index.js:10:5",
    "insufficient_stock: requested 5 of item SKU-001",
    "/items?page=2&limit=20&sort=name",
  ])("leaves %s as it is", (input) => {
    expect(scrubString(input)).toBe(input);
  });
});

describe("scrubEvent", () => {
  const event: ErrorEvent = {
    type: undefined,
    event_id: "e1",
    message: "login failed for customer@acme.test",
    user: { id: "user-1", email: "customer@acme.test", ip_address: "203.0.113.7", username: "acme" },
    request: {
      url: "https://erp.test/portal?token=s3cr3t-tok",
      method: "POST",
      query_string: "token=s3cr3t-tok",
      cookies: { "sb-access": "abc123" },
      headers: { cookie: "sb-access=abc123", authorization: `Bearer ${JWT}`, "x-forwarded-for": "203.0.113.7", "user-agent": "test-agent" },
      data: { email: "customer@acme.test", password: "hunter2" },
      env: { REMOTE_ADDR: "203.0.113.7" },
    },
    exception: { values: [{ type: "Error", value: "duplicate customer@acme.test from 2001:db8::42" }] },
    extra: { nested: [{ session_token: "s3cr3t-tok", note: "hunter2 is fine as text?" }] },
    contexts: { trace: { trace_id: "t", span_id: "s" } },
    tags: { request_id: "req-1" },
  };

  it("keeps only the user id and drops emails, IPs, cookies, authorization, bodies and URL tokens", () => {
    const out = scrubEvent(event);
    expect(out.user).toEqual({ id: "user-1" });
    expect(out.request).toEqual({ url: "https://erp.test/portal?token=[redacted]", method: "POST", query_string: "token=[redacted]", headers: { "user-agent": "test-agent" } });
    expect(out.message).toBe("login failed for [email]");
    expect(out.exception?.values?.[0].value).toBe("duplicate [email] from [ip]");
    expect(out.extra).toEqual({ nested: [{ note: "hunter2 is fine as text?" }] });
    expect(out.tags).toEqual({ request_id: "req-1" });
    expect(out.contexts).toEqual({ trace: { trace_id: "t", span_id: "s" } });
    // Free text that is not recognisably secret stays (it is not a password field any more).
    expectClean({ ...out, extra: undefined });
  });

  it("does not change the event it was given", () => {
    const before = JSON.stringify(event);
    scrubEvent(event);
    expect(JSON.stringify(event)).toBe(before);
  });

  it("removes the user when there is no id", () => {
    expect(scrubEvent({ ...event, user: { email: "customer@acme.test" } }).user).toBeUndefined();
  });

  it("scrubs transactions and their spans too", () => {
    const tx: Event = {
      type: "transaction",
      transaction: "GET /api/v1/items",
      request: { url: "https://erp.test/api/v1/items?access_token=s3cr3t-tok" },
      spans: [{ span_id: "a", trace_id: "t", start_timestamp: 1, status: "ok", data: { "client.address": "203.0.113.7", "http.url": "/x?key=s3cr3t-tok" } }],
    };
    const out = scrubEvent(tx);
    expectClean(out);
    expect(out.transaction).toBe("GET /api/v1/items");
    expect(out.spans?.[0].data).toEqual({ "client.address": "[ip]", "http.url": "/x?key=[redacted]" });
  });
});

describe("scrubBreadcrumb and scrub", () => {
  it("scrubs breadcrumb messages and data", () => {
    const crumb: Breadcrumb = {
      category: "fetch",
      message: "POST /api/v1/auth/login as customer@acme.test",
      data: { url: "/api/v1/auth/login?token=s3cr3t-tok", status_code: 401, Cookie: "sb-access=abc123" },
    };
    const out = scrubBreadcrumb(crumb);
    expectClean(out);
    expect(out).toEqual({ category: "fetch", message: "POST /api/v1/auth/login as [email]", data: { url: "/api/v1/auth/login?token=[redacted]", status_code: 401 } });
  });

  it("survives cycles, copies shared objects, and keeps numbers, booleans and null", () => {
    const a: Record<string, unknown> = { n: 1, b: true, z: null };
    a.self = a;
    expect(scrub(a)).toEqual({ n: 1, b: true, z: null, self: "[redacted]" });
    const shared = { note: "customer@acme.test" };
    expect(scrub({ one: shared, two: [shared] })).toEqual({ one: { note: "[email]" }, two: [{ note: "[email]" }] });
  });
});

describe("urlWithoutQuery (Vercel Analytics and Speed Insights)", () => {
  it("drops the query and fragment and keeps the path", () => {
    expect(urlWithoutQuery({ type: "pageview", url: "https://erp.test/admin/users?q=customer@acme.test#x" }).url).toBe("https://erp.test/admin/users");
    const plain = { type: "vital", url: "https://erp.test/flows/1" };
    expect(urlWithoutQuery(plain)).toBe(plain);
  });
});

describe("Sentry options", () => {
  const base = { NODE_ENV: "production", SENTRY_SAMPLE_RATE: 1, SENTRY_TRACES_SAMPLE_RATE: 0.1, NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: 0.1 } as Env;

  it("are undefined without a DSN, so Sentry is never initialised", () => {
    expect(serverSentryOptions(base)).toBeUndefined();
    expect(browserSentryOptions({ NODE_ENV: "production", NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: 0.1 } as PublicEnv)).toBeUndefined();
  });

  it("take the DSN, release, environment and rates from the environment, with no default PII", () => {
    const server = serverSentryOptions({
      ...base,
      SENTRY_DSN: "https://key@o1.ingest.sentry.io/2",
      VERCEL_ENV: "preview",
      DULY_BUILD_COMMIT: "abc123def456",
      SENTRY_TRACES_SAMPLE_RATE: 0.25,
    });
    expect(server).toMatchObject({ dsn: "https://key@o1.ingest.sentry.io/2", environment: "preview", release: "abc123def456", tracesSampleRate: 0.25, sendDefaultPii: false });
    expect(server?.beforeSend).toBe(scrubEvent);
    expect(server?.beforeSendTransaction).toBe(scrubEvent);
    expect(server?.beforeBreadcrumb).toBe(scrubBreadcrumb);
    // The server falls back to the public DSN, so one variable is enough.
    expect(serverSentryOptions({ ...base, NEXT_PUBLIC_SENTRY_DSN: "https://pub@o1.ingest.sentry.io/3" })?.dsn).toBe("https://pub@o1.ingest.sentry.io/3");
    const browser = browserSentryOptions({
      NODE_ENV: "production",
      NEXT_PUBLIC_SENTRY_DSN: "https://pub@o1.ingest.sentry.io/3",
      NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: 0,
      NEXT_PUBLIC_VERCEL_ENV: "production",
      DULY_BUILD_COMMIT: "abc123def456",
    });
    expect(browser).toMatchObject({ environment: "production", release: "abc123def456", tracesSampleRate: 0, sendDefaultPii: false });
  });
});
