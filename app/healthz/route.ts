import { handler, json } from "@/lib/http/handler";
import { healthReport } from "@/lib/health";

export const dynamic = "force-dynamic";

// GET /healthz — health and engine identity (503 when the database is down)
export const GET = handler({ auth: "none" }, async () => {
  const report = await healthReport();
  return json(report.body, { status: report.healthy ? 200 : 503 });
});
