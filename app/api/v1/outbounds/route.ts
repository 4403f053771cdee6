import { flowCollectionRoutes } from "@/lib/http/flow-routes";

const routes = flowCollectionRoutes("outbound");

// GET /api/v1/outbounds — list outbound flows
export const GET = routes.GET;
// POST /api/v1/outbounds — create a draft outbound
export const POST = routes.POST;
