import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/transfers/:id/submit — submit a transfer
export const POST = flowActionRoute("submit", "transfer");
