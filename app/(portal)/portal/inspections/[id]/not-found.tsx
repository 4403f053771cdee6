import { useTranslations } from "next-intl";
import { NotFoundPanel } from "@/components/inspections/not-found-panel";
import { notFoundMetadata } from "@/lib/i18n/not-found-metadata";

export const generateMetadata = notFoundMetadata();

// An application id that does not exist, is not an id, or is another company's (all look alike).
export default function PortalInspectionNotFound() {
  const t = useTranslations("inspections.detail");
  return <NotFoundPanel message={t("notFound")} backHref="/portal/inspections" backLabel={t("back")} />;
}
