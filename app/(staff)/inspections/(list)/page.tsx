import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ExportMenu } from "@/components/export/export-menu";
import { InspectionTable } from "@/components/inspections/inspection-table";
import { pageNumber } from "@/components/inspections/page-number";
import { InspectionStatusTabs, statusFilter } from "@/components/inspections/status-tabs";
import { LinkButton } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { pageSizeOf } from "@/components/ui/page-size";
import { Pagination } from "@/components/ui/pagination";
import { requireActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listInspections } from "@/lib/data/inspections";
import { idSchema, searchQuery } from "@/lib/schemas/common";
import { SearchForm } from "@/components/ui/search-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inspections");
  return { title: t("title") };
}

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

// /inspections — the staff queue: open by default, a tab per status, search, ?customer_id= from a customer page
export default async function InspectionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor("records:read");
  const t = await getTranslations("inspections");
  const sp = await searchParams;
  const filter = statusFilter(sp.status);
  const parsedQ = searchQuery.safeParse(one(sp.q) ?? "");
  const q = parsedQ.success ? parsedQ.data : undefined;
  const customerId = idSchema.safeParse(one(sp.customer_id)).success ? one(sp.customer_id) : undefined;
  const result = await listInspections(actor.caller, { status: filter.status, open: filter.open, q, customer_id: customerId, page: pageNumber(sp.page), limit: pageSizeOf(sp.limit) });
  const keep = { q, customer_id: customerId };
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <>
            <ExportMenu api="/api/v1/inspections" query={{ status: filter.status, open: filter.open, ...keep }} />
            {can(actor.role, "records:write") ? (
              <LinkButton href={customerId ? `/inspections/new?customer_id=${customerId}` : "/inspections/new"} variant="primary" data-testid="new-application">
                {t("list.new")}
              </LinkButton>
            ) : null}
          </>
        }
      />
      <InspectionStatusTabs basePath="/inspections" current={filter.current} extra={keep} />
      <SearchForm id="inspections-q" label={t("list.searchLabel")} q={q} hidden={{ status: filter.current !== "open" ? filter.current : undefined, customer_id: customerId ?? undefined }} />
      <InspectionTable
        rows={result.data}
        basePath="/inspections"
        locale={actor.locale}
        staff
        empty={filter.current === "all" && !q && !customerId ? t("list.empty") : t("list.emptyFiltered")}
      />
      <Pagination
        basePath="/inspections"
        params={{ ...keep, status: filter.current === "open" ? undefined : filter.current }}
        result={result}
      />
    </>
  );
}
