import { NextResponse, type NextRequest } from "next/server";
import { authenticate } from "@/lib/auth";
import { credentialsFrom } from "@/lib/auth/credentials";
import { appendCookies } from "@/lib/auth/cookies";
import { keptAlive } from "@/lib/auth/keep-alive";
import { setEngineHeaders } from "@/lib/engine";
import { databaseMode, env } from "@/lib/env";
import { contentSecurityPolicy, newNonce, setStaticSecurityHeaders } from "@/lib/http/security-headers";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, localeFromAcceptLanguage } from "@/lib/i18n/locales";
import { exemptFromMaintenance, maintenance } from "@/lib/ops/maintenance";
import { maintenanceResponse } from "@/lib/ops/maintenance-page";

// Runs before every page and API request: gives the request an id, keeps a live session alive,
// sets the security headers with a per-request CSP nonce (docs/security.md), stamps pages
// with the engine headers (route handlers stamp their own responses), and in maintenance mode
// answers every page for everyone but admins with the maintenance page (503, Retry-After).

const HANDLER_PATHS = /^\/(api\/|api$|healthz$|health(\/|$))/;
/** Files served from app/ and public/ (icons, manifest): never a maintenance page. */
const FILE_PATH = /\.[a-z0-9]+$/i;

/** The maintenance page for this request, or null to go on (admins, exempt paths, mode off). */
async function maintenancePage(request: NextRequest, credentials: ReturnType<typeof credentialsFrom>): Promise<Response | null> {
  const path = request.nextUrl.pathname;
  if (HANDLER_PATHS.test(path) || FILE_PATH.test(path) || exemptFromMaintenance(path)) return null;
  const state = await maintenance();
  if (!state.active) return null;
  // Only now, in maintenance, does a page request cost the identity lookup here.
  const actor = await authenticate(credentials).catch(() => null);
  if (actor?.role === "admin") return null;
  const cookie = request.cookies.get(LOCALE_COOKIE)?.value;
  const locale = actor?.locale ?? (isLocale(cookie) ? cookie : undefined) ?? localeFromAcceptLanguage(request.headers.get("accept-language")) ?? DEFAULT_LOCALE;
  return maintenanceResponse(locale, state);
}

export async function proxy(request: NextRequest) {
  const requestId = request.headers.get("x-request-id") || crypto.randomUUID();
  const credentials = credentialsFrom(request.headers, request.url);
  const forwarded = new Headers(request.headers);
  forwarded.set("x-request-id", requestId);

  // A fresh nonce per request. Next.js reads it from the CSP request header and puts it on its
  // own scripts; server components that add a script read x-nonce.
  const nonce = newNonce();
  const e = env();
  // On Supabase the browser sends direct uploads to Storage on the project's own origin.
  const connectOrigins = databaseMode(e) === "supabase" ? [new URL(e.NEXT_PUBLIC_SUPABASE_URL!).origin] : [];
  const csp = contentSecurityPolicy(nonce, { dev: e.NODE_ENV === "development", secure: credentials.secure, connectOrigins });
  forwarded.set("content-security-policy", csp);
  forwarded.set("x-nonce", nonce);

  const { creds: kept, cookies: refreshed } = await keptAlive(credentials);
  if (refreshed.length > 0) {
    // Let this very request see the refreshed session too.
    forwarded.set("cookie", [...kept.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; "));
  }

  const closed = await maintenancePage(request, credentials);
  if (closed) {
    appendCookies(closed.headers, refreshed);
    setStaticSecurityHeaders(closed.headers);
    closed.headers.set("Content-Security-Policy", csp);
    closed.headers.set("X-Request-Id", requestId);
    setEngineHeaders(closed.headers);
    return closed;
  }

  const res = NextResponse.next({ request: { headers: forwarded } });
  appendCookies(res.headers, refreshed);
  setStaticSecurityHeaders(res.headers);
  if (!HANDLER_PATHS.test(request.nextUrl.pathname)) {
    // Route handlers set their own (stricter) policy: lib/http/handler.ts.
    res.headers.set("Content-Security-Policy", csp);
    res.headers.set("X-Request-Id", requestId);
    setEngineHeaders(res.headers);
  }
  return res;
}

export const config = {
  matcher: [
    // Pages and everything else but static files and the API. The route wrapper
    // (lib/http/handler.ts) does for the API what the proxy does for pages: the request id, every
    // header, maintenance, and keeping a cookie session alive. Running the proxy as well cost a
    // noticeable share of a small API request's CPU (npm run bench).
    "/((?!_next/static|_next/image|favicon.ico|robots.txt|api/).*)",
  ],
};
