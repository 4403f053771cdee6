import { createUser, listUsers } from "@/lib/data/users";
import { usersExport } from "@/lib/export/lists";
import { handler, ok, page } from "@/lib/http/handler";
import { userCreateSchema, userListQuery } from "@/lib/schemas/users";

export const dynamic = "force-dynamic";

// GET /api/v1/users — users with search and filters (?q=&role=&active=&page=&limit=), admins only; ?format=xlsx|csv: a file
export const GET = handler({ permission: "users:manage", query: userListQuery, export: usersExport }, async ({ actor, query }) =>
  page(await listUsers(actor.caller, query)),
);

// POST /api/v1/users — create a user with a role (and company for customers) and an initial password
export const POST = handler({ permission: "users:manage", body: userCreateSchema }, async ({ actor, body, idempotency }) =>
  ok(await createUser(actor, body, idempotency), 201),
);
