import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ExportMenu } from "@/components/export/export-menu";
import { pageNumber } from "@/components/inspections/page-number";
import { SimpleTable } from "@/components/inventory/simple-table";
import { PageHeader } from "@/components/ui/card";
import { pageSizeOf } from "@/components/ui/page-size";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState } from "@/components/ui/states";
import { requireActor } from "@/lib/auth/page";
import { listMyStock } from "@/lib/data/portal";
import { formatQty } from "@/lib/format";
import { searchQuery } from "@/lib/schemas/common";
import { SearchForm } from "@/components/ui/search-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("portal.stock");
  return { title: t("title") };
}

// /portal/stock — the items the customer owns and how many are on hand, per warehouse (no costs)
export default async function PortalStockPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor("portal:access");
  const t = await getTranslations("portal.stock");
  const sp = await searchParams;
  const parsedQ = searchQuery.safeParse(typeof sp.q === "string" ? sp.q : "");
  const q = parsedQ.success ? parsedQ.data : undefined;
  const result = await listMyStock(actor.caller, { q, page: pageNumber(sp.page), limit: pageSizeOf(sp.limit) });
  const name = (r: (typeof result.data)[number]) => (actor.locale === "zh" ? r.name_zh : actor.locale === "en" ? r.name_en : null) || r.name_ko;
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={<ExportMenu api="/api/v1/portal/stock" query={{ q }} />} />
      <SearchForm id="stock-q" label={t("searchLabel")} q={q} />
      {result.data.length === 0 ? (
        <EmptyState message={q ? t("emptyFiltered") : t("empty")} />
      ) : (
        <SimpleTable
          caption={t("caption")}
          testId="portal-stock-table"
          columns={[
            { key: "sku", header: t("columns.sku") },
            { key: "name", header: t("columns.name") },
            { key: "onHand", header: t("columns.onHand"), align: "right" },
            { key: "unit", header: t("columns.unit") },
            { key: "locations", header: t("columns.locations") },
          ]}
          rows={result.data.map((r) => ({
            key: r.item_id,
            cells: {
              sku: <span className="font-mono">{r.sku}</span>,
              name: name(r),
              onHand: formatQty(r.on_hand, actor.locale),
              unit: r.unit,
              locations: r.locations.map((l) => `${l.code} ${formatQty(l.on_hand, actor.locale)}`).join(" · ") || "—",
            },
          }))}
        />
      )}
      <Pagination basePath="/portal/stock" params={{ q }} result={result} />
    </>
  );
}
