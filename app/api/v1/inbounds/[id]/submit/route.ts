import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/inbounds/:id/submit — submit a inbound
export const POST = flowActionRoute("submit", "inbound");
