import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { ExportMenu } from "@/components/export/export-menu";
import { engineChoices, locationChoices } from "@/components/inventory/catalog";
import { FilterBar, FilterSelect, FilterText } from "@/components/inventory/filter-bar";
import { listHref, parseSearchParams, type RawSearchParams } from "@/components/toolkit/list-url";
import { StocksTable, type StockRowView } from "@/components/inventory/stocks-table";
import { LinkButton } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState } from "@/components/ui/states";
import { requireActor } from "@/lib/auth/page";
import { listStocks, type StockRow } from "@/lib/data/stocks";
import { formatQty } from "@/lib/format";
import { itemName } from "@/lib/i18n/locales";
import { stockListQuery } from "@/lib/schemas/flows";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inventory");
  return { title: t("stocks.title") };
}

// Fields of stocks_list beyond the shared row schema: per-location rows name their location and
// the item's total; low-stock rows carry the shortage and where the remaining stock is.
const num = z.coerce.number();
const perLocation = z.object({ location_code: z.string(), location_name: z.string(), item_on_hand: num });
const lowExtras = z.object({ shortage: num, locations: z.array(z.object({ location_code: z.string(), on_hand: num })).default([]) });

// /stocks — stock by item and location, or the items below their reorder point
export default async function StocksPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requireActor("records:read");
  const t = await getTranslations("inventory");
  const { query, params } = parseSearchParams(stockListQuery, await searchParams);
  const low = query.low === true;
  const [result, { options: engineOptions }, locationOptions] = await Promise.all([
    listStocks(actor.caller, query),
    engineChoices(actor.caller, actor.locale),
    locationChoices(actor.caller),
  ]);

  const L = actor.locale;
  const qty = (n: number) => formatQty(n, L);
  const rows: StockRowView[] = result.data.map((s: StockRow) => {
    const unit = t(`units.${s.unit}`);
    const base = { itemId: s.item_id, sku: s.sku, name: itemName(s, L), unit, reorderPoint: qty(s.reorder_point), low: s.low };
    if (low) {
      const extra = lowExtras.safeParse(s);
      const locations = extra.success ? extra.data.locations.map((l) => `${l.location_code} ${qty(l.on_hand)}`).join(", ") : "";
      return { ...base, key: s.item_id, location: locations, onHand: qty(s.on_hand), itemTotal: qty(s.on_hand), shortage: extra.success ? qty(extra.data.shortage) : "" };
    }
    const extra = perLocation.safeParse(s);
    return {
      ...base,
      key: `${s.sku}-${extra.success ? extra.data.location_code : s.location_id}`,
      location: extra.success ? `${extra.data.location_code} · ${extra.data.location_name}` : "",
      onHand: qty(s.on_hand),
      itemTotal: extra.success ? qty(extra.data.item_on_hand) : "",
      shortage: "",
    };
  });

  // The view links switch between all stock and low stock, keeping the filters, from page 1.
  const filterParams = Object.fromEntries(Object.entries(params).filter(([k]) => k !== "low" && k !== "page"));
  const tabClass = (current: boolean) =>
    `rounded-md px-3 py-1.5 text-sm font-medium ${current ? "bg-brand-600 text-white" : "border border-slate-300 bg-white text-slate-800 hover:bg-slate-100"}`;
  const filtered = Boolean(params.location_id || params.engine_id || params.item_id || params.q);

  return (
    <>
      <PageHeader title={t("stocks.title")} description={t("stocks.description")} actions={<ExportMenu api="/api/v1/stocks" query={query} />} />
      <nav aria-label={t("stocks.view")} className="mb-3 flex gap-2">
        <Link href={listHref("/stocks", filterParams)} aria-current={low ? undefined : "page"} className={tabClass(!low)}>
          {t("stocks.allStock")}
        </Link>
        <Link href={listHref("/stocks", { ...filterParams, low: "true" })} aria-current={low ? "page" : undefined} className={tabClass(low)}>
          {t("stocks.lowOnly")}
        </Link>
      </nav>
      <FilterBar action="/stocks" formKey={listHref("/stocks", params)} label={t("filters.label")} submitLabel={t("filters.apply")} resetLabel={t("filters.reset")}>
        {low ? <input type="hidden" name="low" value="true" /> : null}
        {params.item_id ? <input type="hidden" name="item_id" value={params.item_id} /> : null}
        {params.limit ? <input type="hidden" name="limit" value={params.limit} /> : null}
        <FilterText name="q" label={t("filters.search")} placeholder={t("filters.searchPlaceholder")} defaultValue={query.q} />
        <FilterSelect name="location_id" label={t("fields.location")} defaultValue={query.location_id} options={[{ value: "", label: t("filters.allLocations") }, ...locationOptions]} />
        <FilterSelect name="engine_id" label={t("fields.engine")} defaultValue={query.engine_id} options={[{ value: "", label: t("filters.allEngines") }, ...engineOptions]} />
      </FilterBar>
      {rows.length === 0 ? (
        <EmptyState message={low ? t("stocks.noLow") : filtered ? t("stocks.noMatch") : t("stocks.empty")}>
          {filtered || query.page > 1 ? <LinkButton href={low ? "/stocks?low=true" : "/stocks"}>{t("filters.reset")}</LinkButton> : null}
        </EmptyState>
      ) : (
        <>
          <StocksTable rows={rows} mode={low ? "low" : "all"} />
          <Pagination
            basePath="/stocks"
            params={params}
            result={result}
          />
        </>
      )}
    </>
  );
}
