import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// unit: pure code. db: SQL, policies and API handlers on PGlite (each file its own database,
// loaded from a migrated template). pg: the concurrency tests on real Postgres (TEST_DATABASE_URL;
// .ci/run always sets it). Both db and pg run every contract suite (tests/contract/*.contract.ts),
// each on its own engine: `provide.contractEngine`, read by tests/helpers/contract-db.ts.

const root = path.dirname(fileURLToPath(import.meta.url));

const alias = {
  "@": root,
  "server-only": path.join(root, "tests/helpers/empty.ts"),
};
const CONTRACT_SUITES = "tests/contract/**/*.contract.ts";
// OPS_METRICS off: request counts written after responses would land in other tests' databases
// at odd moments; tests/api/ops-metrics.test.ts turns them on.
const env = { LOG_LEVEL: "silent", AUTH_JWT_SECRET: "test-secret-test-secret-test-secret-0123456789", NODE_ENV: "test", OPS_METRICS: "off" };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["tests/unit/**/*.test.ts"], env } },
      {
        resolve: { alias },
        test: {
          name: "db",
          include: ["tests/db/**/*.test.ts", "tests/api/**/*.test.ts", CONTRACT_SUITES],
          provide: { contractEngine: "pglite" },
          env,
          globalSetup: ["tests/helpers/pglite-template.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              resolve: { alias },
              test: {
                name: "pg",
                include: ["tests/pg/**/*.test.ts", CONTRACT_SUITES],
                provide: { contractEngine: "postgres" },
                // The concurrency suite sends a few hundred writes as one user within seconds; the
                // limits themselves are tested at their defaults in tests/api/rate-limit.test.ts.
                env: { ...env, TEST_DATABASE_URL: process.env.TEST_DATABASE_URL, RATE_LIMIT_WRITES_PER_MINUTE: "0", RATE_LIMIT_READS_PER_MINUTE: "0" },
                globalSetup: ["tests/helpers/pg-template.ts"],
                testTimeout: 60_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
    ],
    // Every test file has its own database (a PGlite copy of the template, or `create database
    // ... template` on Postgres) and its fake servers listen on port 0, so files run side by side
    // safely. Vitest's default (cores − 1) leaves one of a two-core machine's cores idle.
    maxWorkers: availableParallelism(),
    // npm run test:coverage (GitHub Actions): fails when lib/ falls under 80% of lines.
    coverage: { provider: "v8", include: ["lib/**/*.ts"], reporter: ["text-summary", "json-summary"], thresholds: { lines: 80 } },
  },
});
