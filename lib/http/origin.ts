import { AppError } from "@/lib/errors";

// Cross-site request forgery protection (docs/security.md, "Cross-site requests"). A write that a
// browser sends is accepted only when it comes from the app's own origin. SameSite=Lax cookies do
// not stop a page on a sibling subdomain or another port of the same host: those are the same
// *site*, so the browser sends the session cookie with their forms and no-cors fetches.
//
// The rule is the one Go 1.25's CrossOriginProtection applies, with the same reasoning:
// - Sec-Fetch-Site (every current browser sends it) is trusted first: same-origin or none (the
//   user typed or bookmarked it) passes, anything else is refused unless its Origin is listed.
// - Without it, Origin must name this app (or a listed origin).
// - With neither header the request is not from a browser (browsers send Origin on every
//   POST/PUT/PATCH/DELETE, forms included), so it cannot be a forged browser request: it passes.
// - A request with a Bearer token is a token client: browsers never attach one to a cross-origin
//   request without a CORS preflight, which this app never grants. (Basic credentials are not
//   enough: browsers do send those along by themselves, like cookies.)

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function first(value: string | null): string | null {
  const v = value?.split(",")[0]?.trim();
  return v ? v : null;
}

/**
 * The app's own origin as this request reached it: the forwarded host and scheme a platform proxy
 * (Vercel) sets, else the Host header, else the URL the server built. A browser cannot set
 * X-Forwarded-* on a cross-origin request (they are not CORS-safelisted), so trusting them here
 * lets no forged request through.
 */
export function requestOrigin(req: Request): string {
  const url = new URL(req.url);
  const proto = first(req.headers.get("x-forwarded-proto")) ?? url.protocol.replace(/:$/, "");
  const host = first(req.headers.get("x-forwarded-host")) ?? first(req.headers.get("host")) ?? url.host;
  return `${proto}://${host}`.toLowerCase();
}

/** Normalises an origin the way browsers serialise it (scheme://host[:port], default port dropped). */
export function normaliseOrigin(value: string): string | null {
  try {
    const u = new URL(value);
    return u.origin === "null" ? null : u.origin.toLowerCase();
  } catch {
    return null;
  }
}

/** Throws cross_origin (403) when a browser sent this write from another origin. */
export function assertSameOrigin(req: Request, trusted: readonly string[]): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (/^bearer\s/i.test(req.headers.get("authorization") ?? "")) return;
  const origin = req.headers.get("origin");
  const listed = origin !== null && trusted.includes(normaliseOrigin(origin) ?? "");
  const site = req.headers.get("sec-fetch-site");
  if (site !== null) {
    if (site === "same-origin" || site === "none" || listed) return;
    throw refused();
  }
  if (origin === null) return;
  if (listed || normaliseOrigin(origin) === normaliseOrigin(requestOrigin(req))) return;
  throw refused();
}

function refused(): AppError {
  return new AppError("cross_origin", "This request did not come from this app's own pages");
}
