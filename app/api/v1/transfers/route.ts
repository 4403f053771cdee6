import { flowCollectionRoutes } from "@/lib/http/flow-routes";

const routes = flowCollectionRoutes("transfer");

// GET /api/v1/transfers — list transfer flows
export const GET = routes.GET;
// POST /api/v1/transfers — create a draft transfer
export const POST = routes.POST;
