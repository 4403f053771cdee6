import { applyImport } from "@/lib/data/imports";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";

// POST /api/v1/imports/:id/apply — write every row in one transaction, or nothing (409 import_invalid); a second apply answers the first result
export const POST = handler({ permission: "records:write", params: idParams }, async ({ actor, params }) =>
  ok(await applyImport(actor.caller, params.id)),
);
