import { listMyShipments } from "@/lib/data/portal";
import { portalShipmentsExport } from "@/lib/export/lists";
import { handler, page } from "@/lib/http/handler";
import { portalShipmentsQuery } from "@/lib/schemas/portal";

export const dynamic = "force-dynamic";

// GET /api/v1/portal/shipments — the customer's own shipments (outbound flows) with lines, no costs; ?format=xlsx|csv: one row per line, as a file
export const GET = handler({ permission: "portal:access", query: portalShipmentsQuery, export: portalShipmentsExport }, async ({ actor, query }) =>
  page(await listMyShipments(actor.caller, query)),
);
