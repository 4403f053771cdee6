import { flowItemDispatch } from "@/lib/http/flow-routes";

// One route for a flow (kind: flows | inbounds | outbounds | transfers | adjustments; any other
// answers 404). Each kind has its own handler in lib/http/flow-routes.ts.

// GET /api/v1/:kind/:id — one flow with its lines (on /flows/:id: of any kind)
export const GET = flowItemDispatch("GET");
// PATCH /api/v1/:kind/:id — edit a draft (on /flows/:id: validated with the flow's own kind)
export const PATCH = flowItemDispatch("PATCH");
