import { handler, ok } from "@/lib/http/handler";
import { requireCronSecret } from "@/lib/jobs/cron-auth";
import { runAlerts } from "@/lib/ops/alerts";
import { recordedJob } from "@/lib/ops/job-runs";

export const dynamic = "force-dynamic";

// GET /api/cron/alerts — Vercel Cron, every 5 minutes: judge the operations manual's alert rules, tell Slack (and the on-call) what fired or recovered
export const GET = handler({ auth: "none" }, async ({ req }) => {
  requireCronSecret(req);
  return ok(await recordedJob("alerts", () => runAlerts()));
});
