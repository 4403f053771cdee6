import "server-only";
import nodemailer from "nodemailer";
import { call, service } from "@/lib/db";
import { log } from "@/lib/log";
import { mailConfig, type MailConfig } from "./config";
import { fnEmailClaim, fnEmailFinish, type ClaimedEmail } from "./outbox";
import { renderEmail } from "./templates";

// Delivery from the outbox: claim due rows (for update skip locked, under a claim token and a
// lease), send each over SMTP, record the outcome for that token. A failure goes back to the
// outbox with exponential backoff; a deliverer that dies mid-way leaves a claim that expires and
// is taken by the next run. SMTP timeouts are well inside the lease, so a row is never claimed
// again while its first sender may still be talking to the server.

export const LEASE_SECONDS = 300;
const SMTP_TIMEOUT_MS = 30_000;
const BATCH = 20;
const MAX_BATCHES = 10;

export type Mailer = { send(message: { from: string; to: string; subject: string; text: string; html: string }): Promise<unknown>; close?(): void };

export type DeliveryResult =
  | { status: "not_configured" }
  | { status: "done"; sent: number; failed: number; claimed: number };

export function smtpMailer(smtpUrl: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl, {
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  } as never); // the URL form's second argument is the defaults object; its type omits the timeouts
  return { send: (m) => transport.sendMail(m), close: () => transport.close() };
}

/** A refusal of this message for good (the address does not exist), not a passing failure. */
function isPermanent(error: unknown): boolean {
  const e = error as { responseCode?: number; command?: string };
  return typeof e.responseCode === "number" && e.responseCode >= 550 && e.responseCode <= 553 && e.command === "RCPT TO";
}

function errorText(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; message?: string };
  return [e.code, e.responseCode, e.message].filter(Boolean).join(" ").slice(0, 500) || "send failed";
}

async function deliverOne(row: ClaimedEmail, config: MailConfig, mailer: Mailer): Promise<boolean> {
  try {
    if (!row.to) throw new Error("no address");
    const rendered = renderEmail({ kind: row.kind, locale: row.locale, recipientName: row.recipient_name, inspectionId: row.inspection_id, data: row.data }, config.appUrl);
    await mailer.send({ from: config.from, to: row.to, ...rendered });
  } catch (error) {
    const permanent = isPermanent(error) || !row.to;
    const r = await call(fnEmailFinish, { p_id: row.id, p_claim_token: row.claim_token, p_sent: false, p_error: errorText(error), p_permanent: permanent }, service);
    log.warn("mail.send_failed", { id: row.id, kind: row.kind, attempts: row.attempts, status: r.status, error: errorText(error) });
    return false;
  }
  const r = await call(fnEmailFinish, { p_id: row.id, p_claim_token: row.claim_token, p_sent: true }, service);
  if (!r.updated) log.warn("mail.finish_lost_claim", { id: row.id, kind: row.kind });
  return true;
}

/** Sends what is due. `maxBatches` bounds one run (the next run continues). */
export async function deliverOutbox(opts: { config?: MailConfig; mailer?: Mailer; batch?: number; maxBatches?: number } = {}): Promise<DeliveryResult> {
  const config = opts.config ?? mailConfig();
  if (!config) return { status: "not_configured" };
  const mailer = opts.mailer ?? smtpMailer(config.smtpUrl);
  let sent = 0;
  let failed = 0;
  let claimed = 0;
  try {
    for (let i = 0; i < (opts.maxBatches ?? MAX_BATCHES); i++) {
      const { data: rows } = await call(fnEmailClaim, { p_limit: opts.batch ?? BATCH, p_lease_seconds: LEASE_SECONDS }, service);
      if (rows.length === 0) break;
      claimed += rows.length;
      for (const row of rows) {
        if (await deliverOne(row, config, mailer)) sent++;
        else failed++;
      }
      // A server that refuses everything: stop for this run; the backoff decides the next try.
      if (failed > 0 && sent === 0) break;
    }
  } finally {
    if (!opts.mailer) mailer.close?.();
  }
  if (claimed > 0) log.info("mail.delivered", { sent, failed, claimed });
  return { status: "done", sent, failed, claimed };
}
