// @ts-check
// JavaScript, not TypeScript: on Node.js 20, Next.js compiles a next.config.ts with SWC on every
// start, `next start` included, which kept the compiler resident in the server (about 25 MB) and
// cost 0.2 s of each start. Only plain modules can be imported here.
import { execSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { PHASE_PRODUCTION_SERVER } from "next/constants.js";
import { STATIC_SECURITY_HEADERS } from "./lib/http/static-headers.mjs";

// Build identity, inlined at build time: the commit (when built from git) and the newest
// migration this build expects the database to have.
function gitCommit() {
  try {
    return execSync("git rev-parse --short=12 HEAD", { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return undefined;
  }
}

function latestMigration() {
  const files = readdirSync(path.join(process.cwd(), "supabase", "migrations")).filter((f) => /^\d{14}_.*\.sql$/.test(f));
  return files.sort().at(-1)?.slice(0, 14) ?? "none";
}

/** @type {import("next").NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // PGlite loads its WebAssembly and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  outputFileTracingIncludes: { "/**": ["./supabase/**/*.sql"] },
  // proxy.ts runs before API routes, and Next.js then cuts request bodies at 10 MB by default:
  // attachments go up to 20 MB, and a larger one must reach the route to be refused with 422.
  experimental: { proxyClientMaxBodySize: "25mb" },
  // .ci/run type-checks the whole project (npm run typecheck) just before `npm test` builds the
  // app for the browser tests, and says so: that build skips checking it a second time (about
  // 25 s of one core, while vitest needs both). Every other build checks its types.
  typescript: { ignoreBuildErrors: process.env.DULY_TYPES_CHECKED === "1" },
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

// The build's Sentry settings, read as lib/env.ts reads them (blank is unset). lib/env.ts
// validates them, with everything else, when the server starts.
/** @param {string} name */
const setting = (name) => process.env[name] || undefined;

// Sentry (docs/monitoring.md), only when a DSN is set at build time (set it before building, as
// Vercel does with its environment variables): otherwise the build carries none of the SDK's
// wrappers and the app pays nothing for monitoring it does not use. Browser events go through
// /monitoring on our own domain, so ad blockers and the CSP's connect-src 'self' let them
// through. Source maps are uploaded, and a release created, only when SENTRY_AUTH_TOKEN is set:
// otherwise the build needs no network.
const sentryToken = setting("SENTRY_AUTH_TOKEN");
const sentryOn = Boolean(setting("SENTRY_DSN") || setting("NEXT_PUBLIC_SENTRY_DSN"));

// The plugins only shape the build (next-intl's alias to i18n/request.ts, Sentry's wrappers and
// source maps); `next start` serves what was built. Loading them there would only cost memory:
// next-intl's plugin brings the SWC compiler into the server process too.
/** @param {string} phase @returns {Promise<import("next").NextConfig>} */
export default async function config(phase) {
  if (phase === PHASE_PRODUCTION_SERVER) return nextConfig;
  // next-intl reads the request's language and messages from i18n/request.ts.
  const { default: createNextIntlPlugin } = await import("next-intl/plugin");
  const withIntl = createNextIntlPlugin("./i18n/request.ts")(nextConfig);
  if (!sentryOn) return withIntl;
  const { withSentryConfig } = await import("@sentry/nextjs/config");
  return withSentryConfig(withIntl, {
    org: setting("SENTRY_ORG"),
    project: setting("SENTRY_PROJECT"),
    authToken: sentryToken,
    tunnelRoute: "/monitoring",
    silent: true,
    telemetry: false,
    sourcemaps: { disable: !sentryToken, deleteSourcemapsAfterUpload: true },
    release: { name: nextConfig.env?.DULY_BUILD_COMMIT, create: Boolean(sentryToken), finalize: Boolean(sentryToken) },
    bundleSizeOptimizations: { excludeDebugStatements: true },
  });
}
