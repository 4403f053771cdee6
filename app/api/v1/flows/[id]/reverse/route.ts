import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/flows/:id/reverse — reverse a flow of any kind
export const POST = flowActionRoute("reverse");
