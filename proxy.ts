import { NextResponse, type NextRequest } from "next/server";
import { credentialsFrom } from "@/lib/auth/credentials";
import { appendCookies } from "@/lib/auth/cookies";
import { refreshCookies } from "@/lib/auth/refresh";
import { setEngineHeaders } from "@/lib/engine";
import { databaseMode, env } from "@/lib/env";
import { contentSecurityPolicy, newNonce, setStaticSecurityHeaders } from "@/lib/http/security-headers";

// Runs before every page and API request: gives the request an id, keeps a live session alive,
// sets the security headers with a per-request CSP nonce (docs/security.md), and stamps pages
// with the engine headers (route handlers stamp their own responses).

const HANDLER_PATHS = /^\/(api\/|api$|healthz$|health(\/|$))/;

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

  let refreshed: Awaited<ReturnType<typeof refreshCookies>> = [];
  try {
    refreshed = await refreshCookies(credentials);
  } catch {
    // A refresh failure must not break the request; the page will ask the user to sign in.
  }
  if (refreshed.length > 0) {
    // Let this very request see the refreshed session too.
    const jar = new Map(request.cookies.getAll().map((c) => [c.name, c.value]));
    for (const c of refreshed) jar.set(c.name, c.value);
    forwarded.set("cookie", [...jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; "));
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
    // Pages and everything else but static files and the API.
    "/((?!_next/static|_next/image|favicon.ico|robots.txt|api/).*)",
    // The API with a cookie session (the web app): the session is kept alive here. A client that
    // sends `Authorization: Bearer` has nothing to gain from the proxy (the route wrapper sets the
    // request id and every header on API answers) and skips it: a noticeable share of a small API
    // request's CPU (npm run bench).
    { source: "/api/:path*", missing: [{ type: "header", key: "authorization" }] },
  ],
};
