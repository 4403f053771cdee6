import { getTranslations } from "next-intl/server";
import { LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/states";
import { notFoundMetadata } from "@/lib/i18n/not-found-metadata";

export const generateMetadata = notFoundMetadata("inventory:item.notFoundTitle");

// An unknown or malformed item id: say so inside the app's frame, with a way back.
export default async function ItemNotFound() {
  const t = await getTranslations("inventory");
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold text-slate-900">{t("item.notFoundTitle")}</h1>
      <EmptyState message={t("item.notFound")}>
        <LinkButton href="/items">{t("item.backToList")}</LinkButton>
      </EmptyState>
    </>
  );
}
