import { useTranslations } from "next-intl";
import { NotFoundPanel } from "@/components/inspections/not-found-panel";
import { notFoundMetadata } from "@/lib/i18n/not-found-metadata";

export const generateMetadata = notFoundMetadata();

// A customer id that does not exist (or is not an id at all).
export default function CustomerNotFound() {
  const t = useTranslations("inspections.customers");
  return <NotFoundPanel message={t("notFound")} backHref="/customers" backLabel={t("back")} />;
}
