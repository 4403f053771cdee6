import { createEngine, listEngines } from "@/lib/data/engines";
import { handler, ok, page } from "@/lib/http/handler";
import { engineCreateSchema, engineListQuery } from "@/lib/schemas/inventory";

// GET /api/v1/engines — business lines
export const GET = handler({ permission: "records:read", query: engineListQuery }, async ({ actor, query }) =>
  page(await listEngines(actor.caller, query)),
);

// POST /api/v1/engines — add a business line
export const POST = handler({ permission: "records:write", body: engineCreateSchema }, async ({ actor, body, idempotency }) =>
  ok(await createEngine(actor.caller, body, idempotency), 201),
);
