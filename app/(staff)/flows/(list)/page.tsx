import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ExportMenu } from "@/components/export/export-menu";
import { FlowFilters } from "@/components/flows/flow-filters";
import { FlowBulkTable } from "@/components/flows/flow-bulk";
import type { FlowTableRow } from "@/components/flows/flow-table";
import { KindTabs } from "@/components/flows/kind-tabs";
import { flowListUrl, toListQuery } from "@/components/flows/list-query";
import { LinkButton } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { requireActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listFlows } from "@/lib/data/flows";
import { parseSearchParams, urlParams, type RawSearchParams } from "@/components/toolkit/list-url";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("flows");
  return { title: t("title") };
}

const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);

// /flows — every stock flow, by kind, with status, date and text filters kept in the URL
export default async function FlowsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requireActor("records:read");
  const t = await getTranslations("flows");
  const params = parseSearchParams(flowListUrl, await searchParams).query;
  const result = await listFlows(actor.caller, toListQuery(params));
  const rows: FlowTableRow[] = result.data.map((f) => ({
    id: f.id,
    number: f.number,
    kind: f.kind,
    status: f.status,
    from: text(f.from_location_code),
    to: text(f.to_location_code),
    customer: text(f.customer_name),
    partner: f.partner,
    lines: f.line_count,
    shortLines: f.short_lines,
    createdBy: text(f.created_by_name),
    createdAt: f.created_at,
  }));
  const filtered = !!(params.status || params.q || params.from || params.to) || params.page > 1;
  const bulkActions = (["submit", "approve", "commit"] as const).filter((a) =>
    can(actor.role, a === "submit" ? "records:write" : a === "approve" ? "flows:approve" : "flows:commit"),
  );
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("list.description")}
        actions={
          <>
            <ExportMenu api="/api/v1/flows" query={toListQuery(params)} />
            {can(actor.role, "records:write") ? (
              <LinkButton href={params.kind ? `/flows/new?kind=${params.kind}` : "/flows/new"} variant="primary">
                {t("list.new")}
              </LinkButton>
            ) : null}
          </>
        }
      />
      <KindTabs params={params} />
      <FlowFilters params={params} />
      <FlowBulkTable rows={rows} empty={filtered ? t("list.emptyFiltered") : t("list.empty")} actions={[...bulkActions]} />
      <Pagination basePath="/flows" params={urlParams(flowListUrl, params)} result={result} />
    </>
  );
}
