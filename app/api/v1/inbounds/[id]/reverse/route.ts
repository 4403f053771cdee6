import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/inbounds/:id/reverse — reverse a inbound
export const POST = flowActionRoute("reverse", "inbound");
