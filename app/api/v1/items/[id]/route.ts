import { deleteItem, getItem, updateItem } from "@/lib/data/items";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { itemPatchSchema } from "@/lib/schemas/inventory";

// GET /api/v1/items/:id — one item with its stock per location
export const GET = handler({ permission: "records:read", params: idParams }, async ({ actor, params }) =>
  ok(await getItem(actor.caller, params.id)),
);

// PATCH /api/v1/items/:id — change an item
export const PATCH = handler(
  { permission: "records:write", params: idParams, body: itemPatchSchema },
  async ({ actor, params, body, idempotency }) => ok(await updateItem(actor.caller, params.id, body, idempotency)),
);

// DELETE /api/v1/items/:id — remove an unused item; one with history is deactivated; 409 with stock
export const DELETE = handler({ permission: "records:delete", params: idParams }, async ({ actor, params, idempotency }) =>
  ok(await deleteItem(actor.caller, params.id, idempotency)),
);
