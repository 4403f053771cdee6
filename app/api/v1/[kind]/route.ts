import { flowCollectionDispatch } from "@/lib/http/flow-routes";

// One route for the four kinds' lists (kind: inbounds | outbounds | transfers | adjustments; any
// other answers 404). Each kind has its own handler in lib/http/flow-routes.ts.

// GET /api/v1/:kind — list flows of the kind (?format=xlsx|csv: a file, one row per line)
export const GET = flowCollectionDispatch("GET");
// POST /api/v1/:kind — create a draft of the kind
export const POST = flowCollectionDispatch("POST");
