"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/states";

/** A page of the inspection, customer or portal areas that failed to load: say so, offer a retry. */
export function SegmentError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const t = useTranslations("common");
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="space-y-3">
      <ErrorState title={t("states.error")} hint={t("states.errorHint")} />
      <Button onClick={() => retry()}>{t("actions.retry")}</Button>
    </div>
  );
}
