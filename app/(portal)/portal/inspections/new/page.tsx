import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ApplicationForm } from "@/components/inspections/application-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inspections");
  return { title: t("form.title") };
}

// /portal/inspections/new — apply for an inspection (for the customer's own company)
export default async function NewApplicationPage() {
  await requireActor("own-records:write");
  const t = await getTranslations("inspections");
  return (
    <>
      <nav aria-label={t("detail.breadcrumb")} className="mb-2 text-sm">
        <Link href="/portal/inspections" className="text-brand-700 underline-offset-2 hover:underline">
          {t("detail.back")}
        </Link>
      </nav>
      <PageHeader title={t("form.title")} description={t("form.description")} />
      <Card>
        <ApplicationForm basePath="/portal/inspections" />
      </Card>
    </>
  );
}
