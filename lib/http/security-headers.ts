// Security headers (docs/security.md). Pure functions: proxy.ts sets them on pages with a fresh
// CSP nonce, lib/http/handler.ts on every API answer (a strict policy of its own, so a route's
// own CSP, such as a download's sandbox, is not overwritten by the proxy), and next.config.mjs sets
// the static ones on the files the proxy skips.

import { STATIC_SECURITY_HEADERS } from "./static-headers.mjs";

/** A fresh nonce for one request: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export type CspOptions = {
  /** `next dev`: React's debugging needs eval, and hot reload a websocket. */
  dev: boolean;
  /** The request reached us over https: ask the browser to keep every subresource on https. */
  secure: boolean;
  /**
   * Other origins the page may send requests to: on Supabase, the project's origin, where the
   * browser PUTs direct uploads to Storage's signed upload URLs.
   */
  connectOrigins?: readonly string[];
};

/**
 * The Content-Security-Policy of a page. Next.js finds the nonce in this header on the request
 * and puts it on its own scripts; 'strict-dynamic' then trusts what those scripts load (the
 * chunks, and Vercel Analytics and Speed Insights, which load from /_vercel/* on this origin).
 * Styles allow 'unsafe-inline': server-rendered style attributes (charts, toasts) cannot carry a
 * nonce, and an injected style cannot run code.
 */
export function contentSecurityPolicy(nonce: string, { dev, secure, connectOrigins = [] }: CspOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    // Same-origin only: the API, Vercel's /_vercel/insights and /_vercel/speed-insights, and the
    // Sentry tunnel (/monitoring), which forwards events to Sentry from the server; on Supabase
    // also Storage, for direct uploads.
    `connect-src 'self'${connectOrigins.map((o) => ` ${o}`).join("")}${dev ? " ws: wss:" : ""}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    ...(secure ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** Headers that are the same on every response, files included (next.config.mjs reads them too). */
export { STATIC_SECURITY_HEADERS };

/** The policy of API answers (JSON, files): they load nothing and may not be framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** Sets the static headers, keeping any a route set itself. */
export function setStaticSecurityHeaders(headers: Headers): void {
  for (const [name, value] of STATIC_SECURITY_HEADERS) if (!headers.has(name)) headers.set(name, value);
}

/** What the route wrapper adds to every API answer (a route's own stricter CSP is kept). */
export function setApiSecurityHeaders(headers: Headers): void {
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", API_CONTENT_SECURITY_POLICY);
  setStaticSecurityHeaders(headers);
}
