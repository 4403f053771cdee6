import "server-only";
import { createTranslator } from "next-intl";
import { COMPANY_TIME_ZONE } from "@/lib/format";
import { isLocale, type Locale } from "@/lib/i18n/locales";
import { loadMessages } from "@/lib/i18n/messages";

// A printed document is in the language the reader picks (?lang=ko|zh|en), which may differ from
// the rest of the UI (a Korean clerk prints a Chinese transfer note for the Yiwu warehouse), so it
// gets its own translator over the same catalogues instead of the request's.

export type PrintT = (key: string, values?: Record<string, string | number>) => string;

/** ?lang= when it names a UI language, else the reader's own language. */
export function printLanguage(param: string | string[] | undefined, fallback: Locale): Locale {
  return isLocale(param) ? param : fallback;
}

export async function printTranslator(locale: Locale): Promise<PrintT> {
  const messages = await loadMessages(locale);
  const t = createTranslator({ locale, messages, timeZone: COMPANY_TIME_ZONE });
  // Keys are checked by tests/unit/messages.test.ts and the pages' tests, not by the type system.
  return (key, values) => (t as unknown as (k: string, v?: Record<string, string | number>) => string)(key, values);
}
