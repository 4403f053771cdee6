import { getMyShipment } from "@/lib/data/portal";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";

export const dynamic = "force-dynamic";

// GET /api/v1/portal/shipments/:id — one of the customer's own shipments (anyone else's: 404)
export const GET = handler({ permission: "portal:access", params: idParams }, async ({ actor, params }) =>
  ok(await getMyShipment(actor.caller, params.id)),
);
