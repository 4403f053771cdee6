import { flowCollectionRoutes } from "@/lib/http/flow-routes";

const routes = flowCollectionRoutes("inbound");

// GET /api/v1/inbounds — list inbound flows
export const GET = routes.GET;
// POST /api/v1/inbounds — create a draft inbound
export const POST = routes.POST;
