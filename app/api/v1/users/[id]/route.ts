import { getUser, updateUser } from "@/lib/data/users";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { userPatchSchema } from "@/lib/schemas/users";

export const dynamic = "force-dynamic";

// GET /api/v1/users/:id — one user, admins only
export const GET = handler({ permission: "users:manage", params: idParams }, async ({ actor, params }) =>
  ok(await getUser(actor.caller, params.id)),
);

// PATCH /api/v1/users/:id — change role, company, active flag or name (never the last active admin's access)
export const PATCH = handler(
  { permission: "users:manage", params: idParams, body: userPatchSchema },
  async ({ actor, params, body, idempotency }) => ok(await updateUser(actor, params.id, body, idempotency)),
);
