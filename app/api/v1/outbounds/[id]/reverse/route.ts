import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/outbounds/:id/reverse — reverse a outbound
export const POST = flowActionRoute("reverse", "outbound");
