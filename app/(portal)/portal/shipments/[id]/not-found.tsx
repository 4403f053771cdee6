import { useTranslations } from "next-intl";
import { NotFoundPanel } from "@/components/inspections/not-found-panel";
import { notFoundMetadata } from "@/lib/i18n/not-found-metadata";

export const generateMetadata = notFoundMetadata();

// A shipment id that does not exist, is not an id, or is another company's (all look alike).
export default function PortalShipmentNotFound() {
  const t = useTranslations("portal.shipments");
  return <NotFoundPanel message={t("notFound")} backHref="/portal/shipments" backLabel={t("back")} />;
}
