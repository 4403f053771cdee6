import { listMyStock } from "@/lib/data/portal";
import { portalStockExport } from "@/lib/export/lists";
import { handler, page } from "@/lib/http/handler";
import { portalStockQuery } from "@/lib/schemas/portal";

export const dynamic = "force-dynamic";

// GET /api/v1/portal/stock — the items the customer owns and the quantity on hand (?q=); ?format=xlsx|csv: a file
export const GET = handler({ permission: "portal:access", query: portalStockQuery, export: portalStockExport }, async ({ actor, query }) =>
  page(await listMyStock(actor.caller, query)),
);
