import "server-only";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

// The alert job's email to the on-call address (ALERT_ONCALL_EMAIL), as the manual's alert
// rules ask next to Slack.
//
// SEAM FOR THE MAIL OUTBOX: mail is sent from a database outbox (SMTP_URL, MAIL_FROM, the
// /api/cron/email job), which lives in its own module. Until this function hands the message
// to that outbox's enqueue function, alert emails are only logged (`ops.oncall_email`) and
// reported as not queued; Slack carries the alert meanwhile. Connect it here and nowhere else:
// the alert job already calls it once per message, with the text it posts to Slack.

export type OncallEmail = { subject: string; text: string; rule: string; kind: "fired" | "reminder" | "recovered" };
export type OncallEmailResult = { queued: boolean; reason?: "no_recipient" | "outbox_not_connected" };

export async function queueOncallEmail(message: OncallEmail): Promise<OncallEmailResult> {
  const to = env().ALERT_ONCALL_EMAIL;
  if (!to) return { queued: false, reason: "no_recipient" };
  log.info("ops.oncall_email", { rule: message.rule, kind: message.kind, queued: false });
  return { queued: false, reason: "outbox_not_connected" };
}
