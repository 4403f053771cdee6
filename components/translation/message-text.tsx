"use client";

import { useTranslations } from "next-intl";
import { useEffect, useMemo, useState } from "react";
import { detectLanguage } from "@/lib/ai/languages";
import { TranslationBox } from "./translation-box";
import { useTranslation } from "./use-translate";

/**
 * A message's text with its translation. With automatic translation on, a message from the
 * other side in another language shows its translation, with the original one click away;
 * otherwise the original shows, with a Translate action that adds the translation under it.
 * The message itself never waits for this: it is drawn first, the translation arrives after.
 */
export function MessageText({ id, body, mine, target, auto }: { id: string; body: string; mine: boolean; target: string; auto: boolean }) {
  const t = useTranslations("translation");
  const source = useMemo(() => ({ type: "message" as const, id }), [id]);
  const { state, run, reset } = useTranslation(source, target);
  const foreign = useMemo(() => {
    const lang = detectLanguage(body);
    return lang !== null && lang !== target;
  }, [body, target]);
  const automatic = auto && foreign && !mine;
  const [showOriginal, setShowOriginal] = useState(false);

  useEffect(() => {
    if (automatic) void run();
  }, [automatic, run]);

  const original = (
    <p className="mt-1 whitespace-pre-line break-words" data-testid="message-body">
      {body}
    </p>
  );

  if (automatic && state.status !== "failed") {
    return (
      <>
        <TranslationBox state={state} lang={target} />
        {showOriginal ? (
          <div data-testid="message-original">
            <p className="mt-1 text-[11px] font-medium uppercase tracking-wide text-slate-700">{t("original")}</p>
            {original}
          </div>
        ) : null}
        <button
          type="button"
          className="mt-1 text-xs font-medium text-brand-700 underline-offset-2 hover:underline"
          onClick={() => setShowOriginal((v) => !v)}
          aria-expanded={showOriginal}
          data-testid="message-show-original"
        >
          {showOriginal ? t("hideOriginal") : t("showOriginal")}
        </button>
      </>
    );
  }
  return (
    <>
      {original}
      {state.status === "failed" && automatic ? <TranslationBox state={state} lang={target} /> : null}
      {!automatic && foreign ? (
        <>
          <TranslationBox state={state} lang={target} />
          <button
            type="button"
            className="mt-1 text-xs font-medium text-brand-700 underline-offset-2 hover:underline"
            onClick={() => (state.status === "done" ? reset() : void run())}
            disabled={state.status === "loading"}
            data-testid="message-translate"
          >
            {state.status === "done" ? t("hide") : t("translate")}
          </button>
        </>
      ) : null}
    </>
  );
}
