import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { SERVICE_ROLE_CANARY } from "./tests/e2e/secret-canary";
import { E2E_BASE_PORT, E2E_WORKERS, e2ePort } from "./tests/e2e/server-slot";
import { FAKE_OPENAI_PORT, TRANSLATION_PORT } from "./tests/e2e/translation-server";

// End-to-end tests against the production build (`npm run test:e2e` builds first) in embedded
// mode, on data folders that start empty every run so first-start migrate and seed are covered.
// Each worker has its own server and data folder (tests/e2e/server-slot.ts): the embedded
// database is one process, and tests sign users out of every device, so two workers must never
// share one. Files run in order within a worker; no retries, since a retry would hide a flake.

// This file is loaded again in each worker, where TEST_PARALLEL_INDEX picks the worker's server.
const baseURL = `http://localhost:${e2ePort()}`;

// DESIGN §6: the system Chromium where one is installed, else Playwright's own browser. Debian's
// headless shell first: the same Chromium without its desktop user interface, as Playwright's own
// headless runs use; the whole suite took 15.3 minutes in the full browser and 8.5 in the shell
// (docs/testing.md). E2E_CHROMIUM picks another binary.
const systemChromium =
  process.env.E2E_CHROMIUM || ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find((p) => existsSync(p)) || "";
const launchOptions = systemChromium && existsSync(systemChromium)
  ? {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    }
  : {};

/** The production build started on `port` with an empty data folder and the demo data. */
function appServer(port: number, dataDir: string, extraEnv: Record<string, string> = {}) {
  return {
    // The data folder is removed before start, never while the server runs (this file is also
    // loaded by the test workers, so nothing here may touch it at load time).
    // Idle connections are kept for two minutes, not Node's 5 s: a test's API request context
    // reuses a socket that sat idle while the page worked, and a server closing it at that very
    // moment resets the request (ECONNRESET, seen once in CI). Browsers resend such a request;
    // Playwright's request client does not. Vercel manages its own connections in production.
    command: `rm -rf "${dataDir}" && exec node_modules/.bin/next start -p ${port} --keepAliveTimeout 120000`,
    url: `http://localhost:${port}/health/ready`,
    // Never test whatever else happens to hold the port (another checkout, a dev server).
    reuseExistingServer: false,
    // First start migrates and seeds an empty folder; generous for a machine under load.
    timeout: 300_000,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    gracefulShutdown: { signal: "SIGTERM" as const, timeout: 5_000 },
    env: {
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      AUTH_JWT_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456789abcdef",
      LOG_LEVEL: "warn",
      // Embedded mode whatever the calling shell has configured.
      DATABASE_URL: "",
      NEXT_PUBLIC_SUPABASE_URL: "",
      NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
      // A stand-in secret the app holds but must never send (secrets.spec.ts); alone it does not
      // select Supabase mode.
      SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_CANARY,
      SEED_DEMO_DATA: "true",
      NEXT_TELEMETRY_DISABLED: "1",
      ...extraEnv,
    },
  };
}

export default defineConfig({
  testDir: "./tests/e2e",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: E2E_WORKERS,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    headless: true,
    // Before sign-in the UI follows Accept-Language: the tests read the English login page.
    locale: "en-US",
    // A trace records every action of every test and costs about a quarter of each test's time
    // (docs/testing.md). CI's only output is its log, where a trace file cannot be read: there a
    // failure reports its error, the page's accessibility snapshot and a screenshot. Run the
    // failing file again locally for its trace.
    trace: process.env.CI ? "off" : "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], launchOptions } }],
  webServer: [
    // One app server per worker, translation off.
    ...Array.from({ length: E2E_WORKERS }, (_, slot) => appServer(E2E_BASE_PORT + slot, path.join(__dirname, `.data-e2e-${slot}`))),
    // For translation.spec.ts: a fake OpenAI server and the same build started again with
    // translation on (tests/e2e/translation-server.ts); no other spec sees a Translate button.
    {
      command: `exec node_modules/.bin/tsx tests/e2e/fake-openai-server.ts ${FAKE_OPENAI_PORT}`,
      url: `http://127.0.0.1:${FAKE_OPENAI_PORT}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    appServer(TRANSLATION_PORT, path.join(__dirname, ".data-e2e-translation"), {
      OPENAI_API_KEY: "sk-e2e-fake-key",
      OPENAI_BASE_URL: `http://127.0.0.1:${FAKE_OPENAI_PORT}/v1`,
      OPENAI_MAX_RETRIES: "0",
    }),
  ],
});
