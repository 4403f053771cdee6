import { flowActionRoute } from "@/lib/http/flow-routes";

// POST /api/v1/transfers/:id/commit — commit a transfer
export const POST = flowActionRoute("commit", "transfer");
