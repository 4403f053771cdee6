import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

// The smoke check after a deploy: scripts/smoke.sh itself, and the two steps of ci.yml's `smoke`
// job run as written (their shell taken from the workflow file) against a fake deployment and a
// fake Slack webhook on loopback. The retry loop's `sleep` is stubbed so its six attempts take no
// time; everything else is the real bash, curl and jq.

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");
const SECRET = "bypass-secret-for-tests";

type Mode = "ok" | "down" | "ready_down" | "protected";
const app = { server: undefined as Server | undefined, url: "", mode: "ok" as Mode, downRounds: 0, rounds: 0 };
const slack = { server: undefined as Server | undefined, url: "", received: [] as string[] };

function answer(pathname: string, headers: Record<string, string | string[] | undefined>): number {
  if (pathname === "/health/live") app.rounds++;
  if (app.mode === "protected" && headers["x-vercel-protection-bypass"] !== SECRET) return 401;
  if (app.mode === "down" || app.rounds <= app.downRounds) return 503;
  if (app.mode === "ready_down" && pathname === "/health/ready") return 503;
  return pathname === "/api/v1/auth/login" ? 401 : 200;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  app.server = createServer((req, res) => {
    res.writeHead(answer(new URL(req.url ?? "/", "http://x").pathname, req.headers), { "Content-Type": "application/json" });
    res.end("{}");
  });
  app.url = await listen(app.server);
  slack.server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      slack.received.push((JSON.parse(body) as { text: string }).text);
      res.end("ok");
    });
  });
  slack.url = `${await listen(slack.server)}/services/T000/B000/XXXX`;
});

afterAll(async () => {
  await new Promise((r) => app.server?.close(r));
  await new Promise((r) => slack.server?.close(r));
});

beforeEach(() => {
  app.mode = "ok";
  app.downRounds = 0;
  app.rounds = 0;
  slack.received = [];
});

async function bash(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  // Only what the steps use: no proxy or CI variable of this machine leaks in.
  const base = { NODE_ENV: "test" as const, PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
  try {
    const { stdout, stderr } = await run("bash", ["-c", script], { cwd: root, env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The `run: |` block of the smoke job's step with this name, as bash sees it. */
function stepScript(name: string): string {
  const yml = readFileSync(path.join(root, ".github/workflows/ci.yml"), "utf8");
  const job = yml.slice(yml.indexOf("\n  smoke:\n"));
  const step = job.slice(job.indexOf(`- name: ${name}`));
  const lines = step.slice(step.indexOf("run: |\n") + "run: |\n".length).split("\n");
  const body: string[] = [];
  for (const line of lines) {
    if (line.trim() !== "" && !line.startsWith("          ")) break;
    body.push(line.slice(10));
  }
  return body.join("\n");
}

// Each check is a few curl processes; six attempts of it take a while on a loaded machine.
const SLOW = { timeout: 90_000 };

describe("scripts/smoke.sh", SLOW, () => {
  it("passes against a healthy deployment: live, ready, version, and sign-in guarded", async () => {
    const r = await bash(`bash scripts/smoke.sh ${app.url}`, {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ok    200 /health/ready");
    expect(r.stdout).toContain("ok    401 /api/v1/auth/login");
    expect(r.stdout).toContain(`smoke check passed for ${app.url}`);
  });

  it("fails with exit 1 and names what answered wrong", async () => {
    app.mode = "ready_down";
    const r = await bash(`bash scripts/smoke.sh ${app.url}`, {});
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("FAIL  503 /health/ready (expected 200)");
  });

  it("a preview behind Deployment Protection: refused without the bypass secret, passes with it", async () => {
    app.mode = "protected";
    expect((await bash(`bash scripts/smoke.sh ${app.url}`, {})).code).toBe(1);
    expect((await bash(`bash scripts/smoke.sh ${app.url}`, { VERCEL_AUTOMATION_BYPASS_SECRET: SECRET })).code).toBe(0);
  });
});

describe("ci.yml smoke job", SLOW, () => {
  const stubbedSleep = (script: string) => `sleep() { :; }\n${script}`;

  it("runs only after a successful deployment, with the Slack step on failure", () => {
    const yml = readFileSync(path.join(root, ".github/workflows/ci.yml"), "utf8");
    const job = yml.slice(yml.indexOf("\n  smoke:\n"));
    expect(job).toMatch(/^\s+if: github\.event_name == 'deployment_status' && github\.event\.deployment_status\.state == 'success'$/m);
    expect(job).toMatch(/- name: Tell Slack\n\s+if: failure\(\)/);
  });

  it("retries while the deployment warms up, and passes once it answers", async () => {
    app.downRounds = 2;
    const r = await bash(stubbedSleep(stepScript("Smoke check, with retries while the deployment warms up")), { DEPLOY_URL: app.url });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("attempt 2 failed");
    expect(r.stdout).not.toContain("attempt 3 failed");
  });

  it("fails the job after six attempts when it never answers; the Slack step then posts the failure with the rollback pointer", async () => {
    app.mode = "down";
    const r = await bash(stubbedSleep(stepScript("Smoke check, with retries while the deployment warms up")), { DEPLOY_URL: app.url });
    expect(r.code).toBe(1);
    expect(app.rounds).toBe(6);
    const told = await bash(stepScript("Tell Slack"), {
      SLACK_WEBHOOK_URL: slack.url,
      DEPLOY_URL: app.url,
      DEPLOY_ENV: "Preview",
      GITHUB_SHA: "0123456789abcdef",
      RUN_URL: "https://github.com/o/r/actions/runs/1",
    });
    expect(told.code).toBe(0);
    expect(slack.received).toEqual([
      `[Duly ERP Preview] Smoke check FAILED after deploy of 0123456: ${app.url} (https://github.com/o/r/actions/runs/1). Roll back: docs/operations.md#rollback`,
    ]);
  });
});
