import { flowActionDispatch } from "@/lib/http/flow-routes";

// One route for every workflow step of every kind (kind: flows | inbounds | outbounds | transfers
// | adjustments; action: submit | approve | commit | cancel | reverse; any other answers 404).
// Each kind and action has its own handler, its permission derived from the action
// (lib/http/flow-routes.ts).

// POST /api/v1/:kind/:id/:action — move a flow through its workflow
export const POST = flowActionDispatch();
