import { handler, ok } from "@/lib/http/handler";
import { requireCronSecret } from "@/lib/jobs/cron-auth";
import { deliverOutbox } from "@/lib/mail/deliver";
import { emailOutboxStatus } from "@/lib/mail/outbox";
import { recordedJob } from "@/lib/ops/job-runs";

export const dynamic = "force-dynamic";

// GET /api/cron/email — Vercel Cron, every minute: send the email that is due from the outbox
export const GET = handler({ auth: "none" }, async ({ req }) => {
  requireCronSecret(req);
  // Recorded like every job: the status page shows its last run and last failure (not each run).
  const delivery = await recordedJob("email", () => deliverOutbox());
  // Without SMTP_URL and MAIL_FROM the mail waits; the counts say how much.
  return ok({ ...delivery, outbox: await emailOutboxStatus() });
});
