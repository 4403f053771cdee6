import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/flows/:id/cancel — cancel a flow of any kind
export const POST = flowActionRoute("cancel");
