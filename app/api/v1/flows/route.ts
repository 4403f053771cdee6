import { listFlows } from "@/lib/data/flows";
import { flowsExport } from "@/lib/export/lists";
import { handler, page } from "@/lib/http/handler";
import { flowListQuery } from "@/lib/schemas/flows";

// GET /api/v1/flows — flows of every kind (filter with kind, status, q, from, to); ?format=xlsx|csv: one row per line, as a file
export const GET = handler({ permission: "records:read", query: flowListQuery, export: flowsExport() }, async ({ actor, query }) =>
  page(await listFlows(actor.caller, query)),
);
