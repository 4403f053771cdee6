import { getTranslations } from "next-intl/server";
import { ListPageSkeleton } from "@/components/inventory/skeletons";

export default async function EnginesLoading() {
  const t = await getTranslations("common");
  return <ListPageSkeleton label={t("table.loading")} />;
}
