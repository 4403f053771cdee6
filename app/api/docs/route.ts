// GET /api/docs — the API reference lives at /docs/api (a page, under the pages' CSP)
export function GET(req: Request): Response {
  return Response.redirect(new URL("/docs/api", req.url), 308);
}
