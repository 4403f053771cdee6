import { getTranslations } from "next-intl/server";
import { FormPageSkeleton } from "@/components/inventory/skeletons";

export default async function EngineLoading() {
  const t = await getTranslations("common");
  return <FormPageSkeleton label={t("table.loading")} />;
}
