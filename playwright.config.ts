import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { SERVICE_ROLE_CANARY } from "./tests/e2e/secret-canary";
import { FAKE_OPENAI_PORT, TRANSLATION_PORT } from "./tests/e2e/translation-server";

// End-to-end tests against the production build (`npm run test:e2e` builds first) in embedded
// mode, on a data folder that starts empty every run so first-start migrate and seed are covered.
// One worker and no retries: the embedded database is one process, and a retry would hide a flake.

const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://localhost:${port}`;
const dataDir = path.join(__dirname, ".data-e2e");
const translationDataDir = path.join(__dirname, ".data-e2e-translation");

// DESIGN §6: the system Chromium where one is installed, else Playwright's own browser.
const systemChromium = "/usr/bin/chromium";
const launchOptions = existsSync(systemChromium)
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

export default defineConfig({
  testDir: "./tests/e2e",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
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
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], launchOptions } }],
  // The app (every spec), and for translation.spec.ts a fake OpenAI server and the same build
  // started again with translation on (tests/e2e/translation-server.ts).
  webServer: [
    {
      // The data folder is removed before start, never while the server runs (this file is also
      // loaded by the test workers, so nothing here may touch it at load time).
      command: `rm -rf "${dataDir}" && exec node_modules/.bin/next start -p ${port}`,
      url: `${baseURL}/health/ready`,
      // Never test whatever else happens to hold the port (another checkout, a dev server).
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
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
      },
    },
    {
      command: `exec node_modules/.bin/tsx tests/e2e/fake-openai-server.ts ${FAKE_OPENAI_PORT}`,
      url: `http://127.0.0.1:${FAKE_OPENAI_PORT}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `rm -rf "${translationDataDir}" && exec node_modules/.bin/next start -p ${TRANSLATION_PORT}`,
      url: `http://localhost:${TRANSLATION_PORT}/health/ready`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
      env: {
        NODE_ENV: "production",
        DATA_DIR: translationDataDir,
        AUTH_JWT_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456789abcdef",
        LOG_LEVEL: "warn",
        DATABASE_URL: "",
        NEXT_PUBLIC_SUPABASE_URL: "",
        NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
        SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_CANARY,
        SEED_DEMO_DATA: "true",
        NEXT_TELEMETRY_DISABLED: "1",
        OPENAI_API_KEY: "sk-e2e-fake-key",
        OPENAI_BASE_URL: `http://127.0.0.1:${FAKE_OPENAI_PORT}/v1`,
        OPENAI_MAX_RETRIES: "0",
      },
    },
  ],
});
