import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/adjustments/:id/cancel — cancel a adjustment
export const POST = flowActionRoute("cancel", "adjustment");
