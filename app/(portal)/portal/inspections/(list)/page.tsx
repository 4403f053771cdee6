import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ExportMenu } from "@/components/export/export-menu";
import { InspectionStatusTabs, statusFilter } from "@/components/inspections/status-tabs";
import { InspectionTable } from "@/components/inspections/inspection-table";
import { LinkButton } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { pageSizeOf } from "@/components/ui/page-size";
import { Pagination } from "@/components/ui/pagination";
import { requireActor } from "@/lib/auth/page";
import { listInspections } from "@/lib/data/inspections";
import { pageNumber } from "@/components/inspections/page-number";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inspections");
  return { title: t("title") };
}

// /portal/inspections — the customer's own applications (the database returns no other company's)
export default async function PortalInspectionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor("portal:access");
  const t = await getTranslations("inspections");
  const sp = await searchParams;
  const filter = statusFilter(sp.status);
  const page = pageNumber(sp.page);
  const result = await listInspections(actor.caller, { status: filter.status, open: filter.open, page, limit: pageSizeOf(sp.limit) });
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("portalDescription")}
        actions={
          <>
            <ExportMenu api="/api/v1/inspections" query={{ status: filter.status, open: filter.open }} />
            <LinkButton href="/portal/inspections/new" variant="primary" data-testid="new-application">
              {t("list.new")}
            </LinkButton>
          </>
        }
      />
      <InspectionStatusTabs basePath="/portal/inspections" current={filter.current} />
      <InspectionTable
        rows={result.data}
        basePath="/portal/inspections"
        locale={actor.locale}
        staff={false}
        empty={filter.current === "all" ? t("list.empty") : t("list.emptyFiltered")}
      />
      <Pagination
        basePath="/portal/inspections"
        params={{ status: filter.current === "open" ? undefined : filter.current }}
        result={result}
      />
    </>
  );
}
