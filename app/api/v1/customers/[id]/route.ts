import { getCustomer, updateCustomer } from "@/lib/data/customers";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { customerPatchSchema } from "@/lib/schemas/customers";

export const dynamic = "force-dynamic";

// GET /api/v1/customers/:id — one customer company with its users and counts, staff
export const GET = handler({ permission: "customers:read", params: idParams }, async ({ actor, params }) =>
  ok(await getCustomer(actor.caller, params.id)),
);

// PATCH /api/v1/customers/:id — change a customer company, staff who write
export const PATCH = handler(
  { permission: "customers:write", params: idParams, body: customerPatchSchema },
  async ({ actor, params, body, idempotency }) => ok(await updateCustomer(actor.caller, params.id, body, idempotency)),
);
