import { listStocks } from "@/lib/data/stocks";
import { stocksExport } from "@/lib/export/lists";
import { handler, page } from "@/lib/http/handler";
import { stockListQuery } from "@/lib/schemas/flows";

// GET /api/v1/stocks — stock per item and location; low=true: items below their reorder point; ?format=xlsx|csv: a file
export const GET = handler({ permission: "records:read", query: stockListQuery, export: stocksExport }, async ({ actor, query }) =>
  page(await listStocks(actor.caller, query)),
);
