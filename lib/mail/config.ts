import "server-only";
import { env, type Env } from "@/lib/env";

// What sending needs: the SMTP server and the sender. Without either, email waits in the outbox
// (the cron job reports "not_configured") until they are set; nothing is dropped.

export type MailConfig = { smtpUrl: string; from: string; appUrl: string };

/** The app's public origin for links in emails: APP_URL, else the first APP_ORIGINS entry, else Vercel's URL. */
export function appUrl(e: Env = env()): string {
  if (e.APP_URL) return e.APP_URL;
  if (e.APP_ORIGINS.length > 0) return e.APP_ORIGINS[0];
  if (e.VERCEL_URL) return `https://${e.VERCEL_URL}`;
  return "http://localhost:3000";
}

export function mailConfig(e: Env = env()): MailConfig | undefined {
  if (!e.SMTP_URL || !e.MAIL_FROM) return undefined;
  return { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, appUrl: appUrl(e) };
}
