import { getLocation, updateLocation } from "@/lib/data/locations";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { locationPatchSchema } from "@/lib/schemas/inventory";

// GET /api/v1/locations/:id — one warehouse
export const GET = handler({ permission: "records:read", params: idParams }, async ({ actor, params }) =>
  ok(await getLocation(actor.caller, params.id)),
);

// PATCH /api/v1/locations/:id — change a warehouse (one holding stock cannot be deactivated)
export const PATCH = handler(
  { permission: "records:write", params: idParams, body: locationPatchSchema },
  async ({ actor, params, body, idempotency }) => ok(await updateLocation(actor.caller, params.id, body, idempotency)),
);
