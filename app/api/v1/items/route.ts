import { createItem, listItems } from "@/lib/data/items";
import { itemsExport } from "@/lib/export/lists";
import { handler, ok, page } from "@/lib/http/handler";
import { itemCreateSchema, itemListQuery } from "@/lib/schemas/inventory";

// GET /api/v1/items — search (q over SKU, names, barcode), filter, sort, page; ?format=xlsx|csv: all of it as a file
export const GET = handler({ permission: "records:read", query: itemListQuery, export: itemsExport }, async ({ actor, query }) =>
  page(await listItems(actor.caller, query)),
);

// POST /api/v1/items — add an item
export const POST = handler({ permission: "records:write", body: itemCreateSchema }, async ({ actor, body, idempotency }) =>
  ok(await createItem(actor.caller, body, idempotency), 201),
);
