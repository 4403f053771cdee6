import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { env, publicEnv, resetEnvCache } from "@/lib/env";
import { log } from "@/lib/log";

// One JSON line per event, readable in Vercel's log view; emails and tokens never reach a line,
// even when a caller (or an error message from a library) passes one.

const saved = { ...process.env };
let lines: string[];

beforeEach(() => {
  process.env.LOG_LEVEL = "debug";
  resetEnvCache();
  lines = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
  vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  resetEnvCache();
});

const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

describe("log", () => {
  it("writes one JSON line with the level, time, event and fields", () => {
    log.info("request", { requestId: "req-1", method: "GET", route: "/api/v1/items", status: 200, ms: 12, userId: "user-1" });
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]);
    expect(parsed).toMatchObject({ level: "info", event: "request", requestId: "req-1", route: "/api/v1/items", status: 200, ms: 12, userId: "user-1" });
    expect(Date.parse(parsed.time)).not.toBeNaN();
  });

  it("never writes an email, a token, a cookie or an address, whatever it is given", () => {
    log.error("request.failed", {
      requestId: "req-2",
      email: "customer@acme.test",
      token: "s3cr3t-tok",
      authorization: `Bearer ${JWT}`,
      cookie: "sb-access=abc123",
      error: { message: `insert failed for customer@acme.test (Bearer ${JWT}) from 203.0.113.7`, url: "/cb?access_token=s3cr3t-tok" },
    });
    expect(lines).toHaveLength(1);
    for (const secret of ["customer@acme.test", "s3cr3t-tok", JWT, "abc123", "203.0.113.7"]) expect(lines[0]).not.toContain(secret);
    expect(JSON.parse(lines[0])).toMatchObject({ requestId: "req-2", error: { message: "insert failed for [email] (Bearer [jwt]) from [ip]" } });
  });

  it("respects LOG_LEVEL", () => {
    process.env.LOG_LEVEL = "warn";
    resetEnvCache();
    log.info("quiet");
    log.warn("loud");
    expect(lines.map((l) => JSON.parse(l).event)).toEqual(["loud"]);
  });
});

describe("monitoring settings in the environment", () => {
  it("validates sample rates and DSNs, with defaults for empty values", () => {
    process.env.SENTRY_TRACES_SAMPLE_RATE = "";
    process.env.SENTRY_DSN = "http://publickey@127.0.0.1:9/1";
    resetEnvCache();
    expect(env()).toMatchObject({ SENTRY_TRACES_SAMPLE_RATE: 0.1, SENTRY_SAMPLE_RATE: 1, SENTRY_DSN: "http://publickey@127.0.0.1:9/1" });
    process.env.SENTRY_TRACES_SAMPLE_RATE = "2";
    resetEnvCache();
    expect(() => env()).toThrow(/SENTRY_TRACES_SAMPLE_RATE/);
    process.env.SENTRY_TRACES_SAMPLE_RATE = "0.5";
    process.env.SENTRY_DSN = "not a url";
    resetEnvCache();
    expect(() => env()).toThrow(/SENTRY_DSN/);
  });

  it("the browser never throws over them: a bad public value means no Sentry", () => {
    process.env.NEXT_PUBLIC_SENTRY_DSN = "not a url";
    expect(publicEnv().NEXT_PUBLIC_SENTRY_DSN).toBeUndefined();
    process.env.NEXT_PUBLIC_SENTRY_DSN = "https://pub@o1.ingest.sentry.io/3";
    process.env.NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE = "0.3";
    expect(publicEnv()).toMatchObject({ NEXT_PUBLIC_SENTRY_DSN: "https://pub@o1.ingest.sentry.io/3", NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: 0.3 });
  });
});
