import { flowItemRoutes } from "@/lib/http/flow-routes";

const routes = flowItemRoutes("adjustment");

// GET /api/v1/adjustments/:id — one adjustment with its lines
export const GET = routes.GET;
// PATCH /api/v1/adjustments/:id — edit a draft adjustment
export const PATCH = routes.PATCH;
