"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/states";

// Any flows page that fails to load: say so in the user's language and offer a retry
// (retry refetches the server components, unlike reset).
export default function FlowsError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
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
