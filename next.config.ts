import { execSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { withSentryConfig } from "@sentry/nextjs/config";
import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { env } from "./lib/env";
import { STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";

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
  // proxy.ts runs before API routes, and Next.js then cuts request bodies at 10 MB by default:
  // attachments go up to 20 MB, and a larger one must reach the route to be refused with 422.
  experimental: { proxyClientMaxBodySize: "25mb" },
  // proxy.ts and lib/http/handler.ts set the security headers on pages and API answers
  // (docs/security.md); the files the proxy's matcher skips get the static ones here.
  async headers() {
    const headers = STATIC_SECURITY_HEADERS.map(([key, value]) => ({ key, value }));
    return ["/_next/static/:path*", "/_next/image", "/favicon.ico", "/robots.txt"].map((source) => ({ source, headers }));
  },
  env: {
    DULY_BUILD_COMMIT: process.env.VERCEL_GIT_COMMIT_SHA ?? gitCommit() ?? "dev",
    DULY_SCHEMA_VERSION: latestMigration(),
  },
};

// Sentry (docs/monitoring.md): browser events go through /monitoring on our own domain, so ad
// blockers and the CSP's connect-src 'self' let them through. Source maps are uploaded, and a
// release created, only when SENTRY_AUTH_TOKEN is set: otherwise the build needs no network.
const sentryToken = env().SENTRY_AUTH_TOKEN;

// next-intl reads the request's language and messages from i18n/request.ts.
export default withSentryConfig(createNextIntlPlugin("./i18n/request.ts")(nextConfig), {
  org: env().SENTRY_ORG,
  project: env().SENTRY_PROJECT,
  authToken: sentryToken,
  tunnelRoute: "/monitoring",
  silent: true,
  telemetry: false,
  sourcemaps: { disable: !sentryToken, deleteSourcemapsAfterUpload: true },
  release: { name: nextConfig.env?.DULY_BUILD_COMMIT, create: Boolean(sentryToken), finalize: Boolean(sentryToken) },
  bundleSizeOptimizations: { excludeDebugStatements: true },
});
