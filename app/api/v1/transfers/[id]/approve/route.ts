import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/transfers/:id/approve — approve a transfer
export const POST = flowActionRoute("approve", "transfer");
