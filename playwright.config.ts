import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { SERVICE_ROLE_CANARY } from "./tests/e2e/secret-canary";
import { E2E_BASE_PORT, E2E_WORKERS, e2ePort } from "./tests/e2e/server-slot";

// End-to-end tests against the production build (`npm run test:e2e` builds first) in embedded
// mode, on data folders that start empty every run so first-start migrate and seed are covered.
// Each worker has its own server and data folder (tests/e2e/server-slot.ts): the embedded
// database is one process, and tests sign users out of every device, so two workers must never
// share one. Files run in order within a worker; no retries, since a retry would hide a flake.

// This file is loaded again in each worker, where TEST_PARALLEL_INDEX picks the worker's server.
const baseURL = `http://localhost:${e2ePort()}`;

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
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], launchOptions } }],
  webServer: Array.from({ length: E2E_WORKERS }, (_, slot) => {
    const port = E2E_BASE_PORT + slot;
    const dataDir = path.join(__dirname, `.data-e2e-${slot}`);
    return {
      // The data folder is removed before start, never while the server runs (this file is also
      // loaded by the test workers, so nothing here may touch it at load time).
      command: `rm -rf "${dataDir}" && exec node_modules/.bin/next start -p ${port}`,
      url: `http://localhost:${port}/health/ready`,
      // Never test whatever else happens to hold the port (another checkout, a dev server).
      reuseExistingServer: false,
      // First start migrates and seeds an empty folder; generous for a machine under load.
      timeout: 300_000,
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
    };
  }),
});
