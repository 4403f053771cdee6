import { INTL_TAGS, type Locale } from "@/lib/i18n/locales";

// Numbers, money (KRW) and dates in the user's language, in Korea's time zone.

export function formatKRW(value: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL_TAGS[locale], { style: "currency", currency: "KRW", maximumFractionDigits: 0 }).format(value);
}

export function formatQty(value: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL_TAGS[locale], { maximumFractionDigits: 3 }).format(value);
}

export function formatDate(value: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_TAGS[locale], { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "Asia/Seoul" }).format(new Date(value));
}

export function formatDateTime(value: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_TAGS[locale], {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    // 24-hour, the same on the server and in the browser (i18n/request.ts says why).
    hourCycle: "h23",
    timeZone: "Asia/Seoul",
  }).format(new Date(value));
}
