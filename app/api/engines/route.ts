import { listEngines } from "@/lib/data/engines";
import { handler, json } from "@/lib/http/handler";

// GET /api/engines — the earlier system's engine list, kept for its scripts: {count, data}
export const GET = handler({ permission: "records:read" }, async ({ actor }) => {
  const result = await listEngines(actor.caller, { page: 1, limit: 100 });
  return json({ count: result.count, data: result.data });
});
