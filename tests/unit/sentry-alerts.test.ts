import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { issueRules, metricRules, provisionSentryAlerts, type SentryTarget } from "@/lib/ops/sentry-alerts";
import { startFakeSentryApi, type FakeSentryApi } from "../helpers/fake-sentry-api";

// npm run ops:sentry-alerts against a fake Sentry API on loopback: the manual's rules are created
// once, a second run changes nothing, a rule changed in Sentry by hand is put back, and a refused
// token fails the run.

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
let sentry: FakeSentryApi;
let target: SentryTarget;

beforeAll(async () => {
  sentry = await startFakeSentryApi("duly", "duly-erp");
  target = { apiUrl: sentry.url, token: sentry.token, org: "duly", project: "duly-erp", environment: "production", teamId: "42" };
});
afterAll(() => sentry.close());
beforeEach(() => {
  sentry.calls.length = 0;
});

const writes = () => sentry.calls.filter((c) => c.method !== "GET");

describe("Sentry alert rules as code", () => {
  it("creates the manual's issue and metric alert rules the first time", async () => {
    const results = await provisionSentryAlerts(target);
    expect(results.every((r) => r.action === "created")).toBe(true);
    expect(sentry.issue.map((r) => r.name)).toEqual(issueRules(target).map((r) => r.name));
    expect(sentry.metric.map((r) => r.name)).toEqual(metricRules(target).map((r) => r.name));
    const errorRate = sentry.metric.find((r) => String(r.name).includes("error rate"))!;
    expect(errorRate).toMatchObject({ aggregate: "failure_rate()", timeWindow: 5, environment: "production", projects: ["duly-erp"] });
    expect((errorRate.triggers as { alertThreshold: number; actions: unknown[] }[])[0]).toMatchObject({
      alertThreshold: 0.05,
      actions: [{ type: "email", targetType: "team", targetIdentifier: "42" }],
    });
    const slow = sentry.metric.find((r) => String(r.name).includes("above 3 s"))!;
    expect(slow).toMatchObject({ aggregate: "p95(transaction.duration)" });
    expect(writes().every((c) => c.method === "POST")).toBe(true);
    expect(writes()).toHaveLength(issueRules(target).length + metricRules(target).length);
  });

  it("changes nothing when run again", async () => {
    const results = await provisionSentryAlerts(target);
    expect(results.map((r) => r.action)).toEqual(results.map(() => "unchanged"));
    expect(writes()).toEqual([]);
    expect(sentry.issue).toHaveLength(issueRules(target).length);
    expect(sentry.metric).toHaveLength(metricRules(target).length);
  });

  it("puts back a rule someone changed in Sentry, and only that one, under the same id", async () => {
    const slow = sentry.metric.find((r) => String(r.name).includes("above 3 s"))!;
    (slow.triggers as { alertThreshold: number }[])[0].alertThreshold = 10_000;
    const before = slow.id;
    const results = await provisionSentryAlerts(target);
    expect(results.filter((r) => r.action === "updated").map((r) => r.name)).toEqual([slow.name]);
    expect(writes()).toEqual([expect.objectContaining({ method: "PUT", path: `/api/0/organizations/duly/alert-rules/${before}/` })]);
    const now = sentry.metric.find((r) => r.id === before)!;
    expect((now.triggers as { alertThreshold: number }[])[0].alertThreshold).toBe(3000);
  });

  it("fails with Sentry's answer when the token is refused, and writes nothing", async () => {
    await expect(provisionSentryAlerts({ ...target, token: "wrong" })).rejects.toThrow(/HTTP 401/);
    expect(writes()).toEqual([]);
  });

  it("npm run ops:sentry-alerts runs it from the environment", async () => {
    const env = { ...process.env, SENTRY_API_URL: sentry.url, SENTRY_AUTH_TOKEN: sentry.token, SENTRY_ORG: "duly", SENTRY_PROJECT: "duly-erp", SENTRY_ALERT_TEAM_ID: "42", APP_ENV: "production" };
    const { stdout } = await run("npx", ["tsx", "scripts/sentry-alerts.ts"], { cwd: ROOT, env });
    expect(stdout.trim().split("\n")).toHaveLength(issueRules(target).length + metricRules(target).length);
    expect(stdout).toMatch(/^unchanged/m);
    expect(stdout).not.toMatch(/^created/m);
    const missing = await run("npx", ["tsx", "scripts/sentry-alerts.ts"], { cwd: ROOT, env: { ...env, SENTRY_AUTH_TOKEN: "" } }).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/SENTRY_AUTH_TOKEN/) });
  }, 60_000);
});
