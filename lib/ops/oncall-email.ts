import "server-only";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { queueEmail } from "@/lib/mail/outbox";

// The alert job's email to the on-call address (ALERT_ONCALL_EMAIL), as the manual's alert
// rules ask next to Slack. It goes through the mail outbox like every other email (lib/mail:
// retried with backoff, delivered by /api/cron/email, waiting there while SMTP is not set up),
// keyed by the alert event so a job run that is retried never queues the same alert twice.

export type OncallEmail = { subject: string; text: string; rule: string; kind: "fired" | "reminder" | "recovered"; eventId: string };
export type OncallEmailResult = { queued: boolean; reason?: "no_recipient" | "outbox_failed" };

export async function queueOncallEmail(message: OncallEmail): Promise<OncallEmailResult> {
  const to = env().ALERT_ONCALL_EMAIL;
  if (!to) return { queued: false, reason: "no_recipient" };
  try {
    // The on-call team reads Korean; the alert's own text (the Slack text) is in the body as is.
    await queueEmail({ to, template: "ops_alert", locale: "ko", data: { subject: message.subject, text: message.text }, dedupeKey: `alert:${message.eventId}` });
    log.info("ops.oncall_email", { rule: message.rule, kind: message.kind, queued: true });
    return { queued: true };
  } catch (e) {
    // Slack has the alert already; a failed enqueue must not stop the other rules' judgement.
    log.error("ops.oncall_email_failed", { rule: message.rule, kind: message.kind, error: e instanceof Error ? e.message : String(e) });
    return { queued: false, reason: "outbox_failed" };
  }
}
