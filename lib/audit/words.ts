import "server-only";
// use-intl/core: the translator without React, so exports and scripts (no React tree) can use it.
import { createFormatter, createTranslator } from "use-intl/core";
import { COMPANY_TIME_ZONE, withZone } from "@/lib/format";
import type { Locale } from "@/lib/i18n/locales";
import { loadMessages } from "@/lib/i18n/messages";
import { describeAudit, type AuditSource, type AuditView, type Words } from "./describe";

// The audit log's words in one language, for the page and the export alike: the whole catalogue
// (field values use the flow, inspection and role words of their own namespaces) and times in
// Seoul, the company's time zone, as the rest of the app shows them.

export const AUDIT_TIME_ZONE = COMPANY_TIME_ZONE;

export async function auditDescriber(locale: Locale): Promise<(row: AuditSource) => AuditView> {
  const messages = await loadMessages(locale);
  const translator = createTranslator({ locale, messages });
  const words: Words = {
    t: (key, values) => translator(key as never, values as never),
    has: (key) => translator.has(key as never),
  };
  const format = createFormatter({ locale, timeZone: AUDIT_TIME_ZONE });
  const time = (iso: string) =>
    withZone(format.dateTime(new Date(iso), { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }), locale);
  return (row) => describeAudit(words, time, row);
}
