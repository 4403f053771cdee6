import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/outbounds/:id/submit — submit a outbound
export const POST = flowActionRoute("submit", "outbound");
