"use client";

import { useTranslations } from "next-intl";
import { SegmentError } from "@/components/ui/segment-error";

// Data for this page could not be loaded: the page says so and offers a retry.
export default function EnginesError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const t = useTranslations("inventory");
  return <SegmentError error={error} retry={retry} title={t("engines.title")} />;
}
