"use client";

import { useTranslations } from "next-intl";
import { SegmentError } from "@/components/ui/segment-error";

// Any page without an error boundary of its own (the dashboard, imports, the login page) that
// fails to load: the same plain message in the user's language, with a localized title.
export default function RootError(props: { error: Error & { digest?: string }; retry: () => void }) {
  const t = useTranslations("common");
  return (
    <main className="mx-auto max-w-3xl px-4 py-10">
      <title>{`${t("pages.errorTitle")} · ${t("appName")}`}</title>
      <SegmentError {...props} />
    </main>
  );
}
