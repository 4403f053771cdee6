// The UI languages: Korean (default), Simplified Chinese, English.
export const LOCALES = ["ko", "zh", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "ko";
export const LOCALE_COOKIE = "NEXT_LOCALE";

/** BCP 47 tags for Intl formatting (dates, numbers, KRW). */
export const INTL_TAGS: Record<Locale, string> = { ko: "ko-KR", zh: "zh-CN", en: "en-US" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The first supported language in an Accept-Language header. */
export function localeFromAcceptLanguage(header: string | null): Locale | undefined {
  if (!header) return undefined;
  const tags = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    const base = tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return undefined;
}

/** Item names in the user's language, falling back zh → ko → en (and ko/en to each other). */
export function itemName(item: { name_ko: string; name_zh?: string | null; name_en?: string | null }, locale: Locale): string {
  const order = locale === "zh" ? [item.name_zh, item.name_ko, item.name_en] : locale === "en" ? [item.name_en, item.name_ko, item.name_zh] : [item.name_ko, item.name_en, item.name_zh];
  return order.find((n): n is string => typeof n === "string" && n.trim() !== "") ?? "";
}
