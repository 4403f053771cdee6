import { createTranslator } from "use-intl/core";
import { describe, expect, it } from "vitest";
import { failureReason } from "@/components/translation/use-translate";
import en from "@/messages/en/translation.json";
import ko from "@/messages/ko/translation.json";
import zh from "@/messages/zh/translation.json";

// What a page says when POST /api/v1/translations fails (components/translation/use-translate.ts):
// a user's daily limit passes overnight, the shared monthly one does not, anything else is
// "translation unavailable".

const TOMORROW = { ko: "내일", zh: "明天", en: "tomorrow" } as const;
const CATALOGUES = { ko, zh, en } as const;

describe("failureReason", () => {
  it("tells the daily limit, the monthly limit and every other failure apart", () => {
    expect(failureReason({ status: 429, code: "translation_limit", message: "", details: { limit: "user_daily", used: 10, max: 40 } })).toBe("limit");
    expect(failureReason({ status: 429, code: "translation_limit", message: "", details: { limit: "monthly", used: 10, max: 40 } })).toBe("monthlyLimit");
    expect(failureReason({ status: 429, code: "translation_limit", message: "" })).toBe("limit");
    expect(failureReason({ status: 503, code: "translation_unavailable", message: "" })).toBe("unavailable");
    expect(failureReason({ status: 0, code: "network", message: "" })).toBe("unavailable");
    // Another 429 (the API's rate limit) is not a translation limit.
    expect(failureReason({ status: 429, code: "rate_limited", message: "", details: { limit: "monthly" } })).toBe("unavailable");
  });

  it.each(["ko", "zh", "en"] as const)("%s: only the daily limit says to try again tomorrow", (locale) => {
    const t = createTranslator({ locale, messages: CATALOGUES[locale] });
    expect(t("limit")).toContain(TOMORROW[locale]);
    expect(t("monthlyLimit")).not.toContain(TOMORROW[locale]);
    expect(t("monthlyLimit")).not.toBe(t("limit"));
    expect(t("unavailable")).not.toBe("");
  });
});
