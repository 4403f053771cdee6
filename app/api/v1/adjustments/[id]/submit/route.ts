import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/adjustments/:id/submit — submit a adjustment
export const POST = flowActionRoute("submit", "adjustment");
