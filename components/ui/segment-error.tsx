"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/states";

/**
 * What a page shows when loading its data failed (each area's error.tsx). The server has logged
 * the error (the digest ties the two together); the user gets a plain message, in their language,
 * and a retry that re-fetches the server components (unlike reset).
 */
export function SegmentError({ error, retry, title }: { error: Error & { digest?: string }; retry: () => void; title?: string }) {
  const t = useTranslations("common");
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="space-y-4">
      {title ? <h1 className="text-2xl font-semibold text-slate-900">{title}</h1> : null}
      <ErrorState title={t("states.error")} hint={t("states.errorHint")} />
      {error.digest ? <p className="text-xs text-slate-700">ID: {error.digest}</p> : null}
      <Button onClick={() => retry()}>{t("actions.retry")}</Button>
    </div>
  );
}
