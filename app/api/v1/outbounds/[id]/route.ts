import { flowItemRoutes } from "@/lib/http/flow-routes";

const routes = flowItemRoutes("outbound");

// GET /api/v1/outbounds/:id — one outbound with its lines
export const GET = routes.GET;
// PATCH /api/v1/outbounds/:id — edit a draft outbound
export const PATCH = routes.PATCH;
