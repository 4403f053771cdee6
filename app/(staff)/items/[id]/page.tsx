import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { ExportMenu } from "@/components/export/export-menu";
import { engineChoices, engineLabel } from "@/components/inventory/catalog";
import { ItemDeleteButton } from "@/components/inventory/item-delete-button";
import { ItemForm } from "@/components/inventory/item-form";
import { LedgerChart } from "@/components/inventory/ledger-chart";
import { balanceSeries } from "@/components/inventory/ledger-series";
import type { RawSearchParams } from "@/components/toolkit/list-url";
import { SimpleTable } from "@/components/inventory/simple-table";
import { Badge } from "@/components/ui/badge";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { translationEnabled } from "@/components/translation/load";
import { orNotFound, requireActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { getItem } from "@/lib/data/items";
import { listLedger } from "@/lib/data/stocks";
import { formatDateTime, formatKRW, formatQty } from "@/lib/format";
import { itemName } from "@/lib/i18n/locales";

const LEDGER_PAGE = 20;
const beforeParam = z.coerce.number().int().positive();

type Props = { params: Promise<{ id: string }>; searchParams: Promise<RawSearchParams> };

const loadItem = (caller: Parameters<typeof getItem>[0], id: string) => orNotFound(id, () => getItem(caller, id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [actor, t, { id }] = await Promise.all([requireActor("records:read"), getTranslations("inventory"), params]);
  const item = await loadItem(actor.caller, id);
  return { title: `${item.sku} · ${t("items.title")}` };
}

// /items/:id — one item: details, stock per location, ledger with running balance, edit, delete
export default async function ItemPage({ params, searchParams }: Props) {
  const actor = await requireActor("records:read");
  const t = await getTranslations("inventory");
  const { id } = await params;
  const sp = await searchParams;
  const rawBefore = Array.isArray(sp.before) ? sp.before[0] : sp.before;
  const before = beforeParam.safeParse(rawBefore).success ? Number(rawBefore) : undefined;

  const item = await loadItem(actor.caller, id);
  const [ledger, { engines, options: engineOptions }] = await Promise.all([
    listLedger(actor.caller, { item_id: id, before, limit: LEDGER_PAGE }),
    engineChoices(actor.caller, actor.locale),
  ]);

  const L = actor.locale;
  const qty = (n: number) => formatQty(n, L);
  const unit = t(`units.${item.unit}`);
  const engine = engines.find((e) => e.id === item.engine_id);
  const low = item.active && item.reorder_point > 0 && item.on_hand < item.reorder_point;
  const series = balanceSeries(ledger.data, (iso) => formatDateTime(iso, L));
  const updatedAt = typeof item.updated_at === "string" ? formatDateTime(item.updated_at, L) : "—";

  const details: [string, React.ReactNode][] = [
    [t("fields.sku"), item.sku],
    [t("fields.barcode"), item.barcode ?? "—"],
    [t("fields.nameKo"), <span lang="ko" key="ko">{item.name_ko}</span>],
    [t("fields.nameZh"), item.name_zh ? <span lang="zh" key="zh">{item.name_zh}</span> : "—"],
    [t("fields.nameEn"), item.name_en ? <span lang="en" key="en">{item.name_en}</span> : "—"],
    [t("fields.engine"), engine ? engineLabel(engine, L) : (item.engine_code ?? "—")],
    [t("fields.unit"), unit],
    [t("fields.reorderPoint"), qty(item.reorder_point)],
    [t("fields.unitCost"), formatKRW(item.unit_cost, L)],
    [t("fields.stockValue"), formatKRW(item.on_hand * item.unit_cost, L)],
    [t("fields.updatedAt"), updatedAt],
  ];

  return (
    <>
      <PageHeader
        title={itemName(item, L)}
        description={item.sku}
        actions={
          <>
            <LinkButton href={`/stocks?item_id=${item.id}`}>{t("item.viewStock")}</LinkButton>
            <LinkButton href="/items">{t("item.backToList")}</LinkButton>
          </>
        }
      />
      <div className="mb-4 flex flex-wrap gap-2">
        {item.active ? <Badge tone="green">{t("status.active")}</Badge> : <Badge tone="gray">{t("status.inactive")}</Badge>}
        {low ? <Badge tone="red">{t("stock.belowReorder")}</Badge> : null}
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t("item.details")}>
          <dl className="grid grid-cols-[minmax(0,10rem)_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
            {details.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-700">{k}</dt>
                <dd className="break-words text-slate-900">{v}</dd>
              </div>
            ))}
          </dl>
        </Card>

        <Card title={t("item.stockByLocation")}>
          {item.stocks.length === 0 ? (
            <EmptyState message={t("item.noLocations")} />
          ) : (
            <SimpleTable
              caption={t("item.stockByLocation")}
              testId="item-stocks"
              columns={[
                { key: "location", header: t("fields.location") },
                { key: "country", header: t("fields.country") },
                { key: "onHand", header: t("fields.onHand"), align: "right" },
                { key: "updated", header: t("fields.updatedAt") },
              ]}
              rows={item.stocks.map((s) => ({
                key: s.location_id,
                cells: {
                  location: `${s.location_code} · ${s.location_name}`,
                  country: t(`countries.${s.country}`),
                  onHand: `${qty(s.on_hand)} ${unit}`,
                  updated: s.updated_at ? formatDateTime(s.updated_at, L) : "—",
                },
              }))}
              footer={{ location: t("item.total"), country: "", onHand: `${qty(item.on_hand)} ${unit}`, updated: "" }}
            />
          )}
        </Card>
      </div>

      <Card title={t("ledger.title")} className="mt-4">
        <div className="mb-3 flex justify-end">
          <ExportMenu api="/api/v1/ledger" query={{ item_id: item.id }} />
        </div>
        {ledger.data.length === 0 ? (
          <EmptyState message={before ? t("ledger.noOlder") : t("ledger.empty")} />
        ) : (
          <div className="space-y-4">
            <LedgerChart series={series} title={t("ledger.chartTitle")} summary={t("ledger.chartSummary", { count: ledger.data.length, sku: item.sku })} format={qty} />
            <SimpleTable
              caption={t("ledger.caption", { sku: item.sku })}
              testId="item-ledger"
              columns={[
                { key: "at", header: t("ledger.at") },
                { key: "flow", header: t("ledger.flow") },
                { key: "kind", header: t("ledger.kind") },
                { key: "location", header: t("fields.location") },
                { key: "delta", header: t("ledger.delta"), align: "right" },
                { key: "balance", header: t("ledger.balance"), align: "right" },
              ]}
              rows={ledger.data.map((m) => ({
                key: String(m.id),
                cells: {
                  at: formatDateTime(m.created_at, L),
                  flow: (
                    <Link href={`/flows/${m.flow_id}`} className="text-brand-700 underline-offset-2 hover:underline">
                      {m.flow_number}
                    </Link>
                  ),
                  kind: t(`kinds.${m.flow_kind}`),
                  location: m.location_code,
                  delta: <span className={m.delta < 0 ? "text-red-800" : "text-green-800"}>{`${m.delta > 0 ? "+" : ""}${qty(m.delta)}`}</span>,
                  balance: qty(m.balance_after),
                },
              }))}
            />
          </div>
        )}
        {before || ledger.next_before ? (
          <nav aria-label={t("ledger.pagination")} className="mt-3 flex gap-2 text-sm">
          {before ? <LinkButton href={`/items/${item.id}`}>{t("ledger.newest")}</LinkButton> : null}
          {ledger.next_before ? (
            <LinkButton href={`/items/${item.id}?before=${ledger.next_before}`} rel="next">
              {t("ledger.older")}
            </LinkButton>
          ) : null}
          </nav>
        ) : null}
      </Card>

      {can(actor.role, "records:write") ? (
        <Card title={t("item.editTitle")} className="mt-4">
          <ItemForm
            key={String(item.updated_at ?? item.id)}
            mode="edit"
            itemId={item.id}
            translate={translationEnabled()}
            engines={engineOptions}
            initial={{
              sku: item.sku,
              name_ko: item.name_ko,
              name_zh: item.name_zh ?? "",
              name_en: item.name_en ?? "",
              unit: item.unit,
              engine_id: item.engine_id ?? "",
              reorder_point: String(item.reorder_point),
              unit_cost: String(item.unit_cost),
              barcode: item.barcode ?? "",
              active: item.active,
            }}
          />
        </Card>
      ) : null}

      {can(actor.role, "records:delete") ? (
        <Card title={t("delete.title")} className="mt-4">
          <p className="mb-3 text-sm text-slate-700">{t("delete.explain")}</p>
          <ItemDeleteButton itemId={item.id} sku={item.sku} unitLabel={unit} />
        </Card>
      ) : null}
    </>
  );
}
