import { getImport, remapImport } from "@/lib/data/imports";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { importMappingPatch } from "@/lib/schemas/imports";

// GET /api/v1/imports/:id — one of the user's imports: status (validating with progress 0-1, ready, invalid, applied), mapping, row counts
export const GET = handler({ permission: "records:write", params: idParams }, async ({ actor, params }) =>
  ok(await getImport(actor.caller, params.id)),
);

// PATCH /api/v1/imports/:id — a new column mapping ({mapping: {field: column index or null}}); remembered, and every row validated again
export const PATCH = handler({ permission: "records:write", params: idParams, body: importMappingPatch }, async ({ actor, params, body }) =>
  ok(await remapImport(actor.caller, params.id, body.mapping)),
);
