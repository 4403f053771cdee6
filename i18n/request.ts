import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { currentActor } from "@/lib/auth/page";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, type Locale } from "@/lib/i18n/locales";
import { loadMessages } from "@/lib/i18n/messages";

// The language of a request: the signed-in user's profile, else the language cookie (set on the
// login page), else the browser's Accept-Language, else Korean.
async function requestLocale(): Promise<Locale> {
  const actor = await currentActor();
  if (actor) return actor.locale;
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(cookie)) return cookie;
  return localeFromAcceptLanguage((await headers()).get("accept-language")) ?? DEFAULT_LOCALE;
}

export default getRequestConfig(async () => {
  const locale = await requestLocale();
  return {
    locale,
    messages: await loadMessages(locale),
    timeZone: "Asia/Seoul",
    formats: {
      number: { krw: { style: "currency", currency: "KRW", maximumFractionDigits: 0 } },
      dateTime: {
        short: { year: "numeric", month: "2-digit", day: "2-digit" },
        // 24-hour time: no AM/PM marker, which Node's ICU writes as "PM" in Korean where the
        // browser writes "오후", so client components' dates failed hydration (and read wrong).
        long: { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
      },
    },
    getMessageFallback: ({ namespace, key }) => `${namespace ? `${namespace}.` : ""}${key}`,
  };
});
