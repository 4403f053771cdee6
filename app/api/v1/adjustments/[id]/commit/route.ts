import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/adjustments/:id/commit — commit a adjustment
export const POST = flowActionRoute("commit", "adjustment");
