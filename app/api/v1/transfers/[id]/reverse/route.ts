import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/transfers/:id/reverse — reverse a transfer
export const POST = flowActionRoute("reverse", "transfer");
