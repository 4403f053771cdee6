import { createToken, listTokens } from "@/lib/data/tokens";
import { handler, ok } from "@/lib/http/handler";
import { tokenCreateSchema, tokenListQuery } from "@/lib/schemas/tokens";

export const dynamic = "force-dynamic";

// GET /api/v1/tokens — the caller's personal access tokens, newest first (?all=true: everyone's, admins)
export const GET = handler({ permission: "profile:read", query: tokenListQuery }, async ({ actor, query }) =>
  ok(await listTokens(actor.caller, query.all ?? false)),
);

// POST /api/v1/tokens — a new token {name, scope, expires_in_days}: the token itself is in this answer only
export const POST = handler({ permission: "profile:read", body: tokenCreateSchema }, async ({ actor, body }) =>
  ok(await createToken(actor.caller, body), 201),
);
