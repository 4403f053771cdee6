import { handler, ok } from "@/lib/http/handler";
import { requireCronSecret } from "@/lib/jobs/cron-auth";
import { recordedJob } from "@/lib/ops/job-runs";
import { runIdempotencyPrune } from "@/lib/jobs/retention";

export const dynamic = "force-dynamic";

// GET /api/cron/idempotency-prune — Vercel Cron, daily: drop Idempotency-Keys older than 24 hours
export const GET = handler({ auth: "none" }, async ({ req }) => {
  requireCronSecret(req);
  return ok(await recordedJob("idempotency-prune", runIdempotencyPrune));
});
