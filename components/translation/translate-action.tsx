"use client";

import { useLocale, useTranslations } from "next-intl";
import { useMemo } from "react";
import { TranslationBox } from "./translation-box";
import { useTranslation, type TranslationSource } from "./use-translate";

/**
 * "Translate" for a record's text (internal notes, an application's notes, a flow note): the
 * translation into the user's language appears under the original, which stays as it is.
 */
export function TranslateAction({ type, id, field }: TranslationSource) {
  const t = useTranslations("translation");
  const locale = useLocale();
  const source = useMemo(() => ({ type, id, field }), [type, id, field]);
  const { state, run, reset } = useTranslation(source, locale);
  return (
    <div className="mt-1" data-testid={`translate-${type}${field ? `-${field}` : ""}`}>
      <button
        type="button"
        className="text-xs font-medium text-brand-700 underline-offset-2 hover:underline"
        onClick={() => (state.status === "done" ? reset() : void run())}
        disabled={state.status === "loading"}
      >
        {state.status === "done" ? t("hide") : t("translate")}
      </button>
      <TranslationBox state={state} lang={locale} />
    </div>
  );
}
