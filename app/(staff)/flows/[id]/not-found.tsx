import { useTranslations } from "next-intl";
import { LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/states";
import { notFoundMetadata } from "@/lib/i18n/not-found-metadata";

export const generateMetadata = notFoundMetadata();

// A flow id that does not exist (or is not an id at all).
export default function FlowNotFound() {
  const t = useTranslations("flows");
  return (
    <EmptyState message={t("detail.notFound")}>
      <LinkButton href="/flows">{t("detail.back")}</LinkButton>
    </EmptyState>
  );
}
