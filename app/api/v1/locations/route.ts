import { createLocation, listLocations } from "@/lib/data/locations";
import { handler, ok, page } from "@/lib/http/handler";
import { locationCreateSchema, locationListQuery } from "@/lib/schemas/inventory";

// GET /api/v1/locations — warehouses in Korea and China
export const GET = handler({ permission: "records:read", query: locationListQuery }, async ({ actor, query }) =>
  page(await listLocations(actor.caller, query)),
);

// POST /api/v1/locations — add a warehouse
export const POST = handler({ permission: "records:write", body: locationCreateSchema }, async ({ actor, body, idempotency }) =>
  ok(await createLocation(actor.caller, body, idempotency), 201),
);
