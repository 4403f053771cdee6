import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ExportMenu } from "@/components/export/export-menu";
import { pageNumber } from "@/components/inspections/page-number";
import { ShipmentTable } from "@/components/portal/shipment-table";
import { PageHeader } from "@/components/ui/card";
import { pageSizeOf } from "@/components/ui/page-size";
import { Pagination } from "@/components/ui/pagination";
import { requireActor } from "@/lib/auth/page";
import { listMyShipments } from "@/lib/data/portal";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("portal.shipments");
  return { title: t("title") };
}

// /portal/shipments — the customer's outbound flows (no drafts) and where each stands
export default async function PortalShipmentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor("portal:access");
  const t = await getTranslations("portal.shipments");
  const sp = await searchParams;
  const page = pageNumber(sp.page);
  const result = await listMyShipments(actor.caller, { page, limit: pageSizeOf(sp.limit) });
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={<ExportMenu api="/api/v1/portal/shipments" />} />
      <ShipmentTable rows={result.data} locale={actor.locale} />
      <Pagination basePath="/portal/shipments" params={{}} result={result} />
    </>
  );
}
