import { useTranslations } from "next-intl";
import { NotFoundPanel } from "@/components/inspections/not-found-panel";
import { notFoundMetadata } from "@/lib/i18n/not-found-metadata";

export const generateMetadata = notFoundMetadata();

// An application id that does not exist (or is not an id at all).
export default function InspectionNotFound() {
  const t = useTranslations("inspections.detail");
  return <NotFoundPanel message={t("notFound")} backHref="/inspections" backLabel={t("back")} />;
}
