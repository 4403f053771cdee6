import { getTranslations } from "next-intl/server";
import { LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/states";
import { notFoundMetadata } from "@/lib/i18n/not-found-metadata";

export const generateMetadata = notFoundMetadata("inventory:engines.notFoundTitle");

export default async function EngineNotFound() {
  const t = await getTranslations("inventory");
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold text-slate-900">{t("engines.notFoundTitle")}</h1>
      <EmptyState message={t("engines.notFound")}>
        <LinkButton href="/engines">{t("engines.backToList")}</LinkButton>
      </EmptyState>
    </>
  );
}
