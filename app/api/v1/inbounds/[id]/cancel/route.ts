import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/inbounds/:id/cancel — cancel a inbound
export const POST = flowActionRoute("cancel", "inbound");
