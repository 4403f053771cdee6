import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { API_CONTENT_SECURITY_POLICY, contentSecurityPolicy, STATIC_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { GET as docsRedirect } from "@/app/api/docs/route";
import { GET as version } from "@/app/api/v1/version/route";
import { config, proxy } from "@/proxy";

// proxy.ts sets the security headers on every page and API response, with a fresh CSP nonce per
// request that Next.js reads from the forwarded request's CSP header to stamp its own scripts.

const EXPECTED = {
  "strict-transport-security": /^max-age=\d{8,}; includeSubDomains$/,
  "x-content-type-options": /^nosniff$/,
  "referrer-policy": /^strict-origin-when-cross-origin$/,
  "x-frame-options": /^DENY$/,
  "permissions-policy": /camera=\(\).*microphone=\(\).*geolocation=\(\)/,
  "cross-origin-opener-policy": /^same-origin$/,
};

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

function nonceOf(csp: string): string {
  const source = directives(csp).get("script-src")?.find((s) => s.startsWith("'nonce-"));
  expect(source, csp).toBeDefined();
  return source!.slice("'nonce-".length, -1);
}

/** The request headers the proxy forwards to the page (Next.js passes them as x-middleware-request-*). */
function forwarded(res: Response, name: string): string | null {
  return res.headers.get(`x-middleware-request-${name}`);
}

const saved = process.env.NODE_ENV;
afterEach(() => {
  (process.env as Record<string, string | undefined>).NODE_ENV = saved;
  resetEnvCache();
});

describe("proxy security headers", () => {
  it.each(["/login", "/dashboard", "/", "/items/new"])("%s: every security header is set", async (path) => {
    const res = await proxy(new NextRequest(`http://localhost${path}`));
    for (const [name, pattern] of Object.entries(EXPECTED)) expect(res.headers.get(name), name).toMatch(pattern);
    const csp = res.headers.get("content-security-policy");
    expect(csp).toBeTruthy();
    const d = directives(csp!);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'self'"]);
    expect(d.get("default-src")).toEqual(["'self'"]);
    expect(d.get("script-src")).toEqual(["'self'", `'nonce-${nonceOf(csp!)}'`, "'strict-dynamic'"]);
    // Same origin: the API, /_vercel/insights, /_vercel/speed-insights and the /monitoring tunnel.
    expect(d.get("connect-src")).toEqual(["'self'"]);
    expect(csp).not.toMatch(/unsafe-eval/);
  });

  it("runs for pages and never for the API, whose route wrapper does the same work (lib/http/handler.ts)", () => {
    const sources = config.matcher.map((m) => (typeof m === "string" ? m : (m as { source: string }).source));
    const runs = (path: string) => sources.some((source) => new RegExp(`^${source}$`).test(path));
    for (const page of ["/", "/dashboard", "/items/123", "/portal/documents", "/login", "/healthz", "/health/ready"]) expect(runs(page), page).toBe(true);
    for (const api of ["/api/v1/items", "/api/v1/auth/me", "/api/v1/version", "/api/health"]) expect(runs(api), api).toBe(false);
    for (const file of ["/_next/static/chunks/app.js", "/favicon.ico", "/robots.txt"]) expect(runs(file), file).toBe(false);
  });

  it.each(["/healthz", "/health/ready"])("%s: the static headers; the route wrapper sets the API's own policy", async (path) => {
    const res = await proxy(new NextRequest(`http://localhost${path}`));
    for (const [name, pattern] of Object.entries(EXPECTED)) expect(res.headers.get(name), name).toMatch(pattern);
    expect(res.headers.get("content-security-policy")).toBeNull();
  });

  it("a fresh nonce on every request, the same one in the response and the forwarded request", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await proxy(new NextRequest("http://localhost/login"));
      const csp = res.headers.get("content-security-policy")!;
      const nonce = nonceOf(csp);
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      // Next.js reads the nonce from the request's CSP header.
      expect(forwarded(res, "content-security-policy")).toBe(csp);
      expect(forwarded(res, "x-nonce")).toBe(nonce);
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(20);
  });

  it("keeps what the proxy did before: the request id and the engine headers on pages", async () => {
    const res = await proxy(new NextRequest("http://localhost/login", { headers: { "x-request-id": "req-123" } }));
    expect(res.headers.get("x-request-id")).toBe("req-123");
    expect(res.headers.get("x-engine-name")).toMatch(/\S/);
    expect(forwarded(res, "x-request-id")).toBe("req-123");
  });

  it("asks for https subresources only when the request came over https", async () => {
    const plain = await proxy(new NextRequest("http://localhost/login"));
    expect(plain.headers.get("content-security-policy")).not.toMatch(/upgrade-insecure-requests/);
    const proxied = await proxy(new NextRequest("http://localhost/login", { headers: { "x-forwarded-proto": "https" } }));
    expect(proxied.headers.get("content-security-policy")).toMatch(/upgrade-insecure-requests/);
  });

  it("allows eval and the hot-reload socket in development only", async () => {
    (process.env as Record<string, string | undefined>).NODE_ENV = "development";
    resetEnvCache();
    const res = await proxy(new NextRequest("http://localhost/login"));
    const d = directives(res.headers.get("content-security-policy")!);
    expect(d.get("script-src")).toContain("'unsafe-eval'");
    expect(d.get("connect-src")).toEqual(["'self'", "ws:", "wss:"]);
  });

  it("on Supabase lets pages connect to the project's origin (direct uploads to Storage), and to nothing else", async () => {
    const before = { ...process.env };
    process.env.NEXT_PUBLIC_SUPABASE_URL = "https://abcd.supabase.co/";
    process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY = "anon";
    process.env.SUPABASE_SERVICE_ROLE_KEY = "service";
    resetEnvCache();
    try {
      const res = await proxy(new NextRequest("http://localhost/portal/documents"));
      const d = directives(res.headers.get("content-security-policy")!);
      expect(d.get("connect-src")).toEqual(["'self'", "https://abcd.supabase.co"]);
      expect(d.get("default-src")).toEqual(["'self'"]);
    } finally {
      process.env = before;
      resetEnvCache();
    }
  });
});

describe("contentSecurityPolicy", () => {
  it("puts the nonce Next.js looks for into script-src", () => {
    const csp = contentSecurityPolicy("abc123==", { dev: false, secure: true });
    expect(csp).toMatch(/(^|; )script-src 'self' 'nonce-abc123==' 'strict-dynamic'(;|$)/);
    expect(csp).toMatch(/(^|; )upgrade-insecure-requests$/);
  });

  it("the static headers are the ones next.config.mjs gives the files the proxy skips", async () => {
    expect(STATIC_SECURITY_HEADERS.map(([name]) => name.toLowerCase()).sort()).toEqual(Object.keys(EXPECTED).sort());
    const { default: config } = await import("@/next.config.mjs");
    const { PHASE_PRODUCTION_SERVER } = await import("next/constants");
    const rules = (await (await config(PHASE_PRODUCTION_SERVER)).headers?.()) ?? [];
    expect(rules.map((r) => r.source).sort()).toEqual(["/_next/image", "/_next/static/:path*", "/favicon.ico", "/robots.txt"]);
    for (const rule of rules) {
      expect(rule.headers.map((h) => [h.key, h.value])).toEqual(STATIC_SECURITY_HEADERS.map(([k, v]) => [k, v]));
    }
  });
});

describe("API answers (lib/http/handler.ts)", () => {
  it("the one API route outside the wrapper (the /api/docs redirect) sets them too: the proxy does not run for the API", () => {
    const res = docsRedirect(new Request("http://localhost/api/docs"));
    expect(res.status).toBe(308);
    expect(res.headers.get("location")).toBe("http://localhost/docs/api");
    expect(res.headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
    for (const [name, pattern] of Object.entries(EXPECTED)) expect(res.headers.get(name), name).toMatch(pattern);
  });


  it("carry a policy that loads nothing and forbids framing, and the static headers", async () => {
    const res = await version(new Request("http://localhost/api/v1/version"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
    expect(directives(API_CONTENT_SECURITY_POLICY).get("frame-ancestors")).toEqual(["'none'"]);
    for (const [name, pattern] of Object.entries(EXPECTED)) expect(res.headers.get(name), name).toMatch(pattern);
  });
});

describe("vercel.json", () => {
  // Vercel's edge adds these to every answer, including files it serves without running the app
  // (proxy.ts adds them, and the CSP with its nonce, to everything the app serves itself).
  it("sets exactly the static security headers on every path, the same values as the app", async () => {
    const { readFileSync } = await import("node:fs");
    const path = await import("node:path");
    const { STATIC_SECURITY_HEADERS } = await import("@/lib/http/security-headers");
    const config = JSON.parse(readFileSync(path.join(__dirname, "../../vercel.json"), "utf8")) as {
      regions: string[];
      headers: { source: string; headers: { key: string; value: string }[] }[];
    };
    expect(config.regions).toEqual(["icn1"]);
    const all = config.headers.find((h) => h.source === "/(.*)");
    expect(all, "a rule for every path").toBeDefined();
    expect(all!.headers.map((h) => [h.key, h.value])).toEqual(STATIC_SECURITY_HEADERS.map(([k, v]) => [k, v]));
    // No CSP here: it needs a fresh nonce per request, which only proxy.ts can give.
    expect(all!.headers.some((h) => h.key.toLowerCase() === "content-security-policy")).toBe(false);
  });
});
