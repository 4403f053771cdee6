import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/outbounds/:id/cancel — cancel a outbound
export const POST = flowActionRoute("cancel", "outbound");
