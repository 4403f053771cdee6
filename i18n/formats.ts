import type { Formats } from "next-intl";

// The request's named formats (i18n/request.ts), and the same for the providers that add a part
// of the app's messages in the browser (components/shell/more-messages.tsx): one value, so a date
// or an amount reads the same on the server and in every provider. The time zone is the
// company's (COMPANY_TIME_ZONE, lib/format.ts).

export const FORMATS = {
  number: { krw: { style: "currency", currency: "KRW", maximumFractionDigits: 0 } },
  dateTime: {
    short: { year: "numeric", month: "2-digit", day: "2-digit" },
    // 24-hour time: no AM/PM marker, which Node's ICU writes as "PM" in Korean where the
    // browser writes "오후", so client components' dates failed hydration (and read wrong).
    long: { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  },
} satisfies Formats;
