"use client";

import { useTranslations } from "next-intl";
import { SegmentError } from "@/components/ui/segment-error";

// An admin page's data could not be loaded.
export default function AdminError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const t = useTranslations("admin");
  return <SegmentError error={error} retry={retry} title={t("title")} />;
}
