import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ApplicationForm } from "@/components/inspections/application-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";
import { listCustomers } from "@/lib/data/customers";
import { idSchema } from "@/lib/schemas/common";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inspections");
  return { title: t("staffNew.title") };
}

// /inspections/new — staff file an application for a customer (?customer_id= preselects one)
export default async function StaffNewApplicationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor("records:write");
  const t = await getTranslations("inspections");
  const sp = await searchParams;
  // Only active customers can be filed for (the database refuses the others); 100 is the list's
  // page limit, far above the number of customer companies this business has.
  const customers = await listCustomers(actor.caller, { active: true, page: 1, limit: 100 });
  const choices = customers.data.map((c) => ({ id: c.id, code: c.code, name: c.name }));
  const wanted = idSchema.safeParse(sp.customer_id);
  const initial = wanted.success && choices.some((c) => c.id === wanted.data) ? wanted.data : undefined;
  return (
    <>
      <nav aria-label={t("detail.breadcrumb")} className="mb-2 text-sm">
        <Link href="/inspections" className="text-brand-700 underline-offset-2 hover:underline">
          {t("detail.back")}
        </Link>
      </nav>
      <PageHeader title={t("staffNew.title")} description={t("staffNew.description")} />
      <Card>
        {choices.length > 0 ? (
          <ApplicationForm basePath="/inspections" customers={choices} initialCustomerId={initial} />
        ) : (
          <p className="text-sm text-slate-700" data-testid="no-customers">
            {t("staffNew.noCustomers")}
          </p>
        )}
      </Card>
    </>
  );
}
