import { getTranslations } from "next-intl/server";
import { LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/states";
import { notFoundMetadata } from "@/lib/i18n/not-found-metadata";

export const generateMetadata = notFoundMetadata("inventory:locations.notFoundTitle");

export default async function LocationNotFound() {
  const t = await getTranslations("inventory");
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold text-slate-900">{t("locations.notFoundTitle")}</h1>
      <EmptyState message={t("locations.notFound")}>
        <LinkButton href="/locations">{t("locations.backToList")}</LinkButton>
      </EmptyState>
    </>
  );
}
