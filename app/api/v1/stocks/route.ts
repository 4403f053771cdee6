import { listStocks } from "@/lib/data/stocks";
import { handler, page } from "@/lib/http/handler";
import { stockListQuery } from "@/lib/schemas/flows";

// GET /api/v1/stocks — stock per item and location; low=true: items below their reorder point
export const GET = handler({ permission: "records:read", query: stockListQuery }, async ({ actor, query }) =>
  page(await listStocks(actor.caller, query)),
);
