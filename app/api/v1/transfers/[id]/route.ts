import { flowItemRoutes } from "@/lib/http/flow-routes";

const routes = flowItemRoutes("transfer");

// GET /api/v1/transfers/:id — one transfer with its lines
export const GET = routes.GET;
// PATCH /api/v1/transfers/:id — edit a draft transfer
export const PATCH = routes.PATCH;
