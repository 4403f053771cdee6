import "server-only";
import nodemailer from "nodemailer";
import { call, service } from "@/lib/db";
import { log } from "@/lib/log";
import { mailConfig, type MailConfig } from "./config";
import { fnEmailBegin, fnEmailClaim, fnEmailFinish, type ClaimedEmail } from "./outbox";
import { renderEmail } from "./templates";

// Delivery from the outbox: claim due rows (for update skip locked, under a claim token and a
// lease), send each over SMTP, record the outcome for that token. A failure goes back to the
// outbox with exponential backoff; a deliverer that dies mid-way leaves a claim that expires and
// is taken by the next run. Right before each send the claim is checked and its lease renewed
// (jobs_email_begin): a row whose lease ran out while it waited behind slow sends in its batch
// is not sent by this deliverer, and the SMTP timeouts are well inside the renewed lease, so a
// row is never claimed again while its sender may still be talking to the server. The one
// window left (the server accepted, the deliverer died before recording it) sends that email
// again with the same Message-ID, <outbox id@sender's domain>, so it is recognisably the same.

export const LEASE_SECONDS = 300;
const SMTP_TIMEOUT_MS = 30_000;
const BATCH = 20;
const MAX_BATCHES = 10;

export type OutgoingMail = { from: string; to: string; subject: string; text: string; html: string; messageId: string };
export type Mailer = { send(message: OutgoingMail): Promise<unknown>; close?(): void };

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

/** The email's Message-ID: the outbox row's, so a second send of one row is the same message. */
export function messageIdFor(id: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? "duly-erp.invalid";
  return `<${id}@${domain}>`;
}

async function deliverOne(row: ClaimedEmail, config: MailConfig, mailer: Mailer): Promise<boolean | "lost"> {
  try {
    if (!row.to) throw new Error("no address");
    const rendered = renderEmail({ kind: row.kind, locale: row.locale, recipientName: row.recipient_name, inspectionId: row.inspection_id, data: row.data }, config.appUrl);
    // Still ours? Another run may have taken it after the lease ran out while this one waited.
    if (!(await call(fnEmailBegin, { p_id: row.id, p_claim_token: row.claim_token, p_lease_seconds: LEASE_SECONDS }, service))) {
      log.warn("mail.claim_lost_before_send", { id: row.id, kind: row.kind });
      return "lost";
    }
    await mailer.send({ from: config.from, to: row.to, ...rendered, messageId: messageIdFor(row.id, config.from) });
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
        const outcome = await deliverOne(row, config, mailer);
        if (outcome === true) sent++;
        else if (outcome === false) failed++;
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
