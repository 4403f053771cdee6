import { setApiSecurityHeaders } from "@/lib/http/security-headers";

// GET /api/docs — the API reference lives at /docs/api (a page, under the pages' CSP). Not behind
// the route wrapper (nothing to check), so it sets the API's security headers itself.
export function GET(req: Request): Response {
  const res = new Response(null, { status: 308, headers: { location: new URL("/docs/api", req.url).toString() } });
  setApiSecurityHeaders(res.headers);
  return res;
}
