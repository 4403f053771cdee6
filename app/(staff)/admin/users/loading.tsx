import { getTranslations } from "next-intl/server";
import { AdminPageSkeleton } from "@/components/admin/skeleton";

export default async function UsersLoading() {
  const t = await getTranslations("common");
  return <AdminPageSkeleton label={t("table.loading")} />;
}
