import { handler, json } from "@/lib/http/handler";
import { readiness } from "@/lib/health";

export const dynamic = "force-dynamic";

// GET /health/ready — database reachable and migrated (503 otherwise)
export const GET = handler({ auth: "none" }, async () => {
  const r = await readiness();
  return json(r.body, { status: r.ready ? 200 : 503 });
});
