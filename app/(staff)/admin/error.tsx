"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/states";

// An admin page's data could not be loaded. The server logged the error (the digest ties the
// two together); the admin gets a plain message and a retry that fetches again.
export default function AdminError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const t = useTranslations("common");
  const admin = useTranslations("admin");
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold text-slate-900">{admin("title")}</h1>
      <ErrorState title={t("states.error")} hint={t("states.errorHint")} />
      {error.digest ? <p className="text-xs text-slate-700">ID: {error.digest}</p> : null}
      <Button onClick={() => retry()}>{t("actions.retry")}</Button>
    </div>
  );
}
