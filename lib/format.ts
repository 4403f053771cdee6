import { INTL_TAGS, type Locale } from "@/lib/i18n/locales";
import en from "@/messages/en/time.json";
import ko from "@/messages/ko/time.json";
import zh from "@/messages/zh/time.json";

// Numbers, money (KRW) and dates in the user's language, in Korea's time zone. The company's
// business day is Korea's (daily totals, date filters, printed documents, exports), so every
// user sees the same day and time for a record; a time says which zone it is in ("15:30 KST",
// "15:30（韩国时间）"), so that staff in Yiwu, an hour behind, never take it for their own
// (messages/<locale>/time.json).

/** The company's time zone: UTC+9 all year (Korea has no daylight saving time). */
export const COMPANY_TIME_ZONE = "Asia/Seoul";

const ZONED: Record<Locale, string> = { ko: ko.zoned, zh: zh.zoned, en: en.zoned };

/** A formatted time with its zone, in the words of the user's language. */
export function withZone(time: string, locale: Locale): string {
  return ZONED[locale].replace("{time}", time);
}

export function formatKRW(value: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL_TAGS[locale], { style: "currency", currency: "KRW", maximumFractionDigits: 0 }).format(value);
}

export function formatQty(value: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL_TAGS[locale], { maximumFractionDigits: 3 }).format(value);
}

export function formatDate(value: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_TAGS[locale], { year: "numeric", month: "2-digit", day: "2-digit", timeZone: COMPANY_TIME_ZONE }).format(new Date(value));
}

/** Date and time, with the zone named ("2026. 12. 05. 15:30 KST"). */
export function formatDateTime(value: string | Date, locale: Locale): string {
  return withZone(formatDateTimeBare(value, locale), locale);
}

/** Date and time without the zone, where the zone is said once for many (a chart's axis, a column's header). */
export function formatDateTimeBare(value: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_TAGS[locale], {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    // 24-hour, the same on the server and in the browser (i18n/formats.ts says why).
    hourCycle: "h23",
    timeZone: COMPANY_TIME_ZONE,
  }).format(new Date(value));
}
