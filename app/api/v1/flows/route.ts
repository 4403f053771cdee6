import { listFlows } from "@/lib/data/flows";
import { handler, page } from "@/lib/http/handler";
import { flowListQuery } from "@/lib/schemas/flows";

// GET /api/v1/flows — flows of every kind (filter with kind, status, q, from, to)
export const GET = handler({ permission: "records:read", query: flowListQuery }, async ({ actor, query }) =>
  page(await listFlows(actor.caller, query)),
);
