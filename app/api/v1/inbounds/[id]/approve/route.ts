import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/inbounds/:id/approve — approve a inbound
export const POST = flowActionRoute("approve", "inbound");
