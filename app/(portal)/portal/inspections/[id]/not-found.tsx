import { useTranslations } from "next-intl";
import { NotFoundPanel } from "@/components/inspections/not-found-panel";

// An application id that does not exist, is not an id, or is another company's (all look alike).
export default function PortalInspectionNotFound() {
  const t = useTranslations("inspections.detail");
  return <NotFoundPanel message={t("notFound")} backHref="/portal/inspections" backLabel={t("back")} />;
}
