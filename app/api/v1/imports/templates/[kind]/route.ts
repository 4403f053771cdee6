import { z } from "zod";
import { templateResponse } from "@/lib/data/import-files";
import { handler } from "@/lib/http/handler";
import { fileFormatQuery, importKind } from "@/lib/schemas/imports";

export const dynamic = "force-dynamic";

// GET /api/v1/imports/templates/:kind?format=xlsx — the template in the user's language (stocktake with &location_id=: that warehouse's count sheet)
export const GET = handler(
  { permission: "records:write", params: z.object({ kind: importKind }), query: fileFormatQuery },
  async ({ actor, params, query }) => templateResponse(actor, params.kind, query.location_id),
);
