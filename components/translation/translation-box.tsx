"use client";

import { useTranslations } from "next-intl";
import type { TranslationState } from "./use-translate";

/** A translation under its original, marked as machine translation; or why there is none. */
export function TranslationBox({ state, lang }: { state: TranslationState; lang: string }) {
  const t = useTranslations("translation");
  if (state.status === "idle") return null;
  if (state.status === "loading") {
    return (
      <p className="mt-1 text-xs text-slate-700" role="status">
        {t("translating")}
      </p>
    );
  }
  if (state.status === "failed") {
    return (
      <p className="mt-1 text-xs text-amber-900" role="status" data-testid="translation-failed">
        {t(state.reason)}
      </p>
    );
  }
  return (
    <div className="mt-1 rounded border-l-2 border-brand-600 bg-slate-50 px-2 py-1" data-testid="translation" lang={lang}>
      <p className="text-[11px] font-medium uppercase tracking-wide text-slate-700">{t("machine")}</p>
      <p className="whitespace-pre-line break-words text-sm text-slate-900" data-testid="translation-text">
        {state.text}
      </p>
    </div>
  );
}
