import { flowCollectionRoutes } from "@/lib/http/flow-routes";

const routes = flowCollectionRoutes("adjustment");

// GET /api/v1/adjustments — list adjustment flows
export const GET = routes.GET;
// POST /api/v1/adjustments — create a draft adjustment
export const POST = routes.POST;
