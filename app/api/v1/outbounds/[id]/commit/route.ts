import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/outbounds/:id/commit — commit a outbound
export const POST = flowActionRoute("commit", "outbound");
