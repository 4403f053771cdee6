import { flowItemRoutes } from "@/lib/http/flow-routes";

const routes = flowItemRoutes("inbound");

// GET /api/v1/inbounds/:id — one inbound with its lines
export const GET = routes.GET;
// PATCH /api/v1/inbounds/:id — edit a draft inbound
export const PATCH = routes.PATCH;
