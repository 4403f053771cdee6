import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ImportWizard } from "@/components/imports/import-wizard";
import { PageHeader } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";
import { listCustomers } from "@/lib/data/customers";
import { IMPORT_KINDS, mayImport } from "@/lib/data/imports";
import { listLocations } from "@/lib/data/locations";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("imports");
  return { title: t("title") };
}

// /imports — upload a sheet, check it row by row, fix the columns, apply it (staff who may write records)
export default async function ImportsPage() {
  const actor = await requireActor("records:write");
  const t = await getTranslations("imports");
  const [locations, customers] = await Promise.all([
    listLocations(actor.caller, { active: true, page: 1, limit: 100 }),
    listCustomers(actor.caller, { active: true, page: 1, limit: 100 }),
  ]);
  return (
    <>
      <PageHeader title={t("title")} />
      <ImportWizard
        kinds={IMPORT_KINDS.filter((k) => mayImport(actor.role, k))}
        locations={locations.data.map((l) => ({ id: l.id, label: `${l.code} · ${l.name}` }))}
        customers={customers.data.map((c) => ({ id: c.id, label: `${c.code} · ${c.name}` }))}
      />
    </>
  );
}
