import { flowItemRoutes } from "@/lib/http/flow-routes";

const routes = flowItemRoutes();

// GET /api/v1/flows/:id — one flow of any kind
export const GET = routes.GET;
// PATCH /api/v1/flows/:id — edit a draft of any kind
export const PATCH = routes.PATCH;
