import { execSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// Build identity, inlined at build time: the commit (when built from git) and the newest
// migration this build expects the database to have.
function gitCommit(): string | undefined {
  try {
    return execSync("git rev-parse --short=12 HEAD", { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return undefined;
  }
}

function latestMigration(): string {
  const files = readdirSync(path.join(process.cwd(), "supabase", "migrations")).filter((f) => /^\d{14}_.*\.sql$/.test(f));
  return files.sort().at(-1)?.slice(0, 14) ?? "none";
}

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // PGlite loads its WebAssembly and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  outputFileTracingIncludes: { "/**": ["./supabase/**/*.sql"] },
  env: {
    DULY_BUILD_COMMIT: process.env.VERCEL_GIT_COMMIT_SHA ?? gitCommit() ?? "dev",
    DULY_SCHEMA_VERSION: latestMigration(),
  },
};

// next-intl reads the request's language and messages from i18n/request.ts.
export default createNextIntlPlugin("./i18n/request.ts")(nextConfig);
