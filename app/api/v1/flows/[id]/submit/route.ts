import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/flows/:id/submit — submit a flow of any kind
export const POST = flowActionRoute("submit");
