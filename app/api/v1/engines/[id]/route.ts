import { getEngine, updateEngine } from "@/lib/data/engines";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { enginePatchSchema } from "@/lib/schemas/inventory";

// GET /api/v1/engines/:id — one business line
export const GET = handler({ permission: "records:read", params: idParams }, async ({ actor, params }) =>
  ok(await getEngine(actor.caller, params.id)),
);

// PATCH /api/v1/engines/:id — change a business line
export const PATCH = handler(
  { permission: "records:write", params: idParams, body: enginePatchSchema },
  async ({ actor, params, body, idempotency }) => ok(await updateEngine(actor.caller, params.id, body, idempotency)),
);
