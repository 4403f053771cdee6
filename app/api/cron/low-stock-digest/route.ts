import { AppError } from "@/lib/errors";
import { handler, ok } from "@/lib/http/handler";
import { requireCronSecret } from "@/lib/jobs/cron-auth";
import { runLowStockDigest } from "@/lib/jobs/low-stock-digest";
import { recordedJob } from "@/lib/ops/job-runs";

export const dynamic = "force-dynamic";

// GET /api/cron/low-stock-digest — Vercel Cron, 09:00 KST: post undelivered low-stock notices to Slack
export const GET = handler({ auth: "none" }, async ({ req }) => {
  requireCronSecret(req);
  const result = await recordedJob("low-stock-digest", () => runLowStockDigest(), (r) => (r.status === "failed" ? r.error : null));
  if (result.status === "failed") {
    // The notices stay undelivered for the next run; the 503 shows in Vercel's cron log meanwhile.
    throw new AppError("unavailable", "Slack did not accept the digest; the notifications stay undelivered for the next run", {
      notifications: result.notifications,
    });
  }
  return ok(result);
});
