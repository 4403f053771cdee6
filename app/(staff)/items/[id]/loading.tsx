import { getTranslations } from "next-intl/server";
import { DetailPageSkeleton } from "@/components/inventory/skeletons";

export default async function ItemLoading() {
  const t = await getTranslations("common");
  return <DetailPageSkeleton label={t("table.loading")} />;
}
