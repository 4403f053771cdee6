import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/transfers/:id/cancel — cancel a transfer
export const POST = flowActionRoute("cancel", "transfer");
