import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Dashboard" };

// /dashboard — staff landing page
export default async function DashboardPage() {
  await requireActor("staff:access");
  const t = await getTranslations("dashboard");
  return <h1 className="text-2xl font-semibold">{t("title")}</h1>;
}
