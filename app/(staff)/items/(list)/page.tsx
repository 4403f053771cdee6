import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ExportMenu } from "@/components/export/export-menu";
import { engineChoices } from "@/components/inventory/catalog";
import { FilterBar, FilterSelect, FilterText } from "@/components/inventory/filter-bar";
import { ItemsTable, type ItemRowView } from "@/components/inventory/items-table";
import { listHref, parseSearchParams, type RawSearchParams } from "@/components/toolkit/list-url";
import { translationEnabled } from "@/components/translation/load";
import { LinkButton } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState } from "@/components/ui/states";
import { requireActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listItems } from "@/lib/data/items";
import { formatKRW, formatQty } from "@/lib/format";
import { itemName } from "@/lib/i18n/locales";
import { ITEM_SORTS, itemListQuery } from "@/lib/schemas/inventory";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inventory");
  return { title: t("items.title") };
}

// The UI offers the useful sorts; the API accepts a few more (created/updated) that links may use.
const SORT_CHOICES = ["sku", "-sku", "name", "-name", "on_hand", "-on_hand", "unit_cost", "-unit_cost", "-updated_at"] as const satisfies readonly (typeof ITEM_SORTS)[number][];

// /items — search, filter, sort and page through items; everything lives in the URL
export default async function ItemsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requireActor("records:read");
  const t = await getTranslations("inventory");
  const tt = await getTranslations("translation");
  const { query, params } = parseSearchParams(itemListQuery, await searchParams);
  const [result, { engines, options: engineOptions }] = await Promise.all([listItems(actor.caller, query), engineChoices(actor.caller, actor.locale)]);

  const engineById = new Map(engines.map((e) => [e.id, e]));
  const rows: ItemRowView[] = result.data.map((item) => {
    const engine = item.engine_id ? engineById.get(item.engine_id) : undefined;
    return {
      id: item.id,
      sku: item.sku,
      name: itemName(item, actor.locale),
      engine: engine ? itemName(engine, actor.locale) : (item.engine_code ?? ""),
      unit: t(`units.${item.unit}`),
      onHand: formatQty(item.on_hand, actor.locale),
      reorderPoint: formatQty(item.reorder_point, actor.locale),
      low: item.active && item.reorder_point > 0 && item.on_hand < item.reorder_point,
      unitCost: formatKRW(item.unit_cost, actor.locale),
      active: item.active,
    };
  });
  const filtered = Boolean(params.q || params.engine_id || params.active);

  return (
    <>
      <PageHeader
        title={t("items.title")}
        description={t("items.description")}
        actions={
          <>
            <ExportMenu api="/api/v1/items" query={query} />
            {translationEnabled() && can(actor.role, "records:write") ? (
              <LinkButton href={listHref("/items/names", params)}>{tt("bulk.title")}</LinkButton>
            ) : null}
            {can(actor.role, "records:write") ? (
              <LinkButton href="/items/new" variant="primary">
                {t("items.new")}
              </LinkButton>
            ) : null}
          </>
        }
      />
      <FilterBar action="/items" formKey={listHref("/items", params)} label={t("filters.label")} submitLabel={t("filters.apply")} resetLabel={t("filters.reset")}>
        {params.limit ? <input type="hidden" name="limit" value={params.limit} /> : null}
        <FilterText name="q" label={t("filters.search")} placeholder={t("filters.searchPlaceholder")} defaultValue={query.q} />
        <FilterSelect name="engine_id" label={t("fields.engine")} defaultValue={query.engine_id} options={[{ value: "", label: t("filters.allEngines") }, ...engineOptions]} />
        <FilterSelect
          name="active"
          label={t("fields.status")}
          defaultValue={params.active}
          className="w-full sm:w-36"
          options={[
            { value: "", label: t("filters.all") },
            { value: "true", label: t("status.active") },
            { value: "false", label: t("status.inactive") },
          ]}
        />
        <FilterSelect name="sort" label={t("filters.sort")} defaultValue={query.sort} options={SORT_CHOICES.map((s) => ({ value: s, label: t(`sorts.${s}`) }))} />
      </FilterBar>
      {rows.length === 0 ? (
        <EmptyState message={filtered ? t("items.noMatch") : query.page > 1 ? t("items.pastEnd") : t("items.empty")}>
          {filtered || query.page > 1 ? (
            <LinkButton href="/items">{t("filters.reset")}</LinkButton>
          ) : can(actor.role, "records:write") ? (
            <LinkButton href="/items/new" variant="primary">
              {t("items.new")}
            </LinkButton>
          ) : null}
        </EmptyState>
      ) : (
        <>
          <ItemsTable rows={rows} />
          <Pagination
            basePath="/items"
            params={params}
            result={result}
          />
        </>
      )}
    </>
  );
}
