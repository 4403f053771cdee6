import { useTranslations } from "next-intl";
import { NotFoundPanel } from "@/components/inspections/not-found-panel";
import { notFoundMetadata } from "@/lib/i18n/not-found-metadata";

export const generateMetadata = notFoundMetadata();

// A flow id that does not exist (or is not an id at all): nothing to print.
export default function FlowPrintNotFound() {
  const t = useTranslations("flows.detail");
  return <NotFoundPanel message={t("notFound")} backHref="/flows" backLabel={t("back")} />;
}
