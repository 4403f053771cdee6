import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/outbounds/:id/approve — approve a outbound
export const POST = flowActionRoute("approve", "outbound");
