import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/adjustments/:id/reverse — reverse a adjustment
export const POST = flowActionRoute("reverse", "adjustment");
