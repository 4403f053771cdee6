import { handler, ok } from "@/lib/http/handler";
import { requireCronSecret } from "@/lib/jobs/cron-auth";
import { deliverOutbox } from "@/lib/mail/deliver";
import { queueApprovalDigests } from "@/lib/mail/outbox";
import { recordedJob } from "@/lib/ops/job-runs";

export const dynamic = "force-dynamic";

// GET /api/cron/approval-digest — Vercel Cron, 08:30 KST: email approvers the flows waiting for them
export const GET = handler({ auth: "none" }, async ({ req }) => {
  requireCronSecret(req);
  // Recorded like the other daily jobs, so /admin/status shows whether today's digest was queued.
  return ok(await recordedJob("approval-digest", async () => ({ ...(await queueApprovalDigests()), delivery: await deliverOutbox() })));
});
