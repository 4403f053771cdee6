import { createCustomer, listCustomers } from "@/lib/data/customers";
import { customersExport } from "@/lib/export/lists";
import { handler, ok, page } from "@/lib/http/handler";
import { customerCreateSchema, customerListQuery } from "@/lib/schemas/customers";

export const dynamic = "force-dynamic";

// GET /api/v1/customers — customer companies (?q=&active=&page=&limit=), staff; ?format=xlsx|csv: a file
export const GET = handler({ permission: "customers:read", query: customerListQuery, export: customersExport }, async ({ actor, query }) =>
  page(await listCustomers(actor.caller, query)),
);

// POST /api/v1/customers — create a customer company, staff who write
export const POST = handler({ permission: "customers:write", body: customerCreateSchema }, async ({ actor, body, idempotency }) =>
  ok(await createCustomer(actor.caller, body, idempotency), 201),
);
