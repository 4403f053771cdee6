import { revokeToken } from "@/lib/data/tokens";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";

export const dynamic = "force-dynamic";

// DELETE /api/v1/tokens/:id — revoke one of the caller's tokens (admins: anyone's); it stops working at once
export const DELETE = handler({ permission: "profile:read", params: idParams }, async ({ actor, params }) =>
  ok(await revokeToken(actor.caller, params.id)),
);
