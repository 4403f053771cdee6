import { handler, ok } from "@/lib/http/handler";
import { requireCronSecret } from "@/lib/jobs/cron-auth";
import { recordedJob } from "@/lib/ops/job-runs";
import { runAuditRetention } from "@/lib/jobs/retention";

export const dynamic = "force-dynamic";

// GET /api/cron/audit-retention — Vercel Cron, daily: drop audit rows past one year (security events: three)
export const GET = handler({ auth: "none" }, async ({ req }) => {
  requireCronSecret(req);
  return ok(await recordedJob("audit-retention", runAuditRetention));
});
