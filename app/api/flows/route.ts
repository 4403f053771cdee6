import { listFlows } from "@/lib/data/flows";
import { handler, json } from "@/lib/http/handler";

// GET /api/flows — the earlier system's flow list (newest 100), kept for its scripts: {count, data}
export const GET = handler({ permission: "records:read" }, async ({ actor }) => {
  const result = await listFlows(actor.caller, { page: 1, limit: 100 });
  return json({ count: result.count, data: result.data });
});
