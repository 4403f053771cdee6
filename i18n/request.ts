import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { currentActor } from "@/lib/auth/page";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, type Locale } from "@/lib/i18n/locales";
import { loadMessages } from "@/lib/i18n/messages";
import { COMPANY_TIME_ZONE } from "@/lib/format";
import { FORMATS } from "./formats";

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
    timeZone: COMPANY_TIME_ZONE,
    formats: FORMATS,
    getMessageFallback: ({ namespace, key }) => `${namespace ? `${namespace}.` : ""}${key}`,
  };
});
