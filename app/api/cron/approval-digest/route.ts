import { handler, ok } from "@/lib/http/handler";
import { requireCronSecret } from "@/lib/jobs/cron-auth";
import { deliverOutbox } from "@/lib/mail/deliver";
import { queueApprovalDigests } from "@/lib/mail/outbox";

export const dynamic = "force-dynamic";

// GET /api/cron/approval-digest — Vercel Cron, 08:30 KST: email approvers the flows waiting for them
export const GET = handler({ auth: "none" }, async ({ req }) => {
  requireCronSecret(req);
  const queued = await queueApprovalDigests();
  return ok({ ...queued, delivery: await deliverOutbox() });
});
