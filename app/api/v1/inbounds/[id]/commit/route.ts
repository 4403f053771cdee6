import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/inbounds/:id/commit — commit a inbound
export const POST = flowActionRoute("commit", "inbound");
