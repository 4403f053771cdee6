import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/adjustments/:id/approve — approve a adjustment
export const POST = flowActionRoute("approve", "adjustment");
