import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Badge, FLOW_STATUS_TONE } from "@/components/ui/badge";
import type { Actor } from "@/lib/auth";
import { getKpis, getRecentActivity, getStockBreakdown, getTopMovers, getTrend } from "@/lib/data/dashboard";
import { listStocks } from "@/lib/data/stocks";
import { formatDateTime, formatKRW, formatQty } from "@/lib/format";
import { itemName } from "@/lib/i18n/locales";
import { TrendChart } from "./trend-chart";

// The dashboard's widgets: each loads its own data (they stream independently).

// A figure does not break inside itself: its size follows the card's width and its own length
// (cqi: the card's inline size; a digit is at most about 0.7 em wide in the usual UI fonts), from
// 1.5 rem down to 1 rem. Only a figure too long for the card even at 1 rem wraps.
function figureSize(text: string): string {
  return `clamp(1rem, calc(100cqi / ${(text.length * 0.7).toFixed(1)}), 1.5rem)`;
}

export async function KpiCards({ actor }: { actor: Actor }) {
  const [k, t] = await Promise.all([getKpis(actor.caller), getTranslations("dashboard")]);
  const cards = [
    { label: t("kpi.activeSkus"), value: formatQty(k.active_skus, actor.locale), href: "/items?active=true", testId: "kpi-active-skus" },
    { label: t("kpi.stockValue"), value: formatKRW(k.stock_value, actor.locale), href: "/stocks", testId: "kpi-stock-value" },
    { label: t("kpi.lowStock"), value: formatQty(k.low_stock, actor.locale), href: "/stocks?low=true", testId: "kpi-low-stock" },
    { label: t("kpi.pendingApproval"), value: formatQty(k.pending_approval, actor.locale), href: "/flows?status=submitted", testId: "kpi-pending" },
    { label: t("kpi.awaitingCommit"), value: formatQty(k.awaiting_commit, actor.locale), href: "/flows?status=approved", testId: "kpi-awaiting-commit" },
    { label: t("kpi.openInspections"), value: formatQty(k.open_inspections ?? 0, actor.locale), href: "/inspections", testId: "kpi-open-inspections" },
  ];
  return (
    <ul className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-6">
      {cards.map((c) => (
        <li key={c.testId}>
          <Link href={c.href} className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm @container hover:border-brand-600">
            <span className="block text-sm text-slate-700">{c.label}</span>
            <span
              className="mt-1 block font-semibold leading-tight tabular-nums [overflow-wrap:anywhere]"
              style={{ fontSize: figureSize(c.value) }}
              data-testid={c.testId}
            >
              {c.value}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

export async function Trend({ actor }: { actor: Actor }) {
  const [data, t] = await Promise.all([getTrend(actor.caller, 30), getTranslations("dashboard")]);
  if (data.every((d) => d.inbound === 0 && d.outbound === 0)) return <p className="text-sm text-slate-700">{t("trend.empty")}</p>;
  return <TrendChart data={data} labels={{ inbound: t("trend.inbound"), outbound: t("trend.outbound") }} locale={actor.locale} />;
}

function Bars({ rows, locale }: { rows: { key: string; label: string; value: number; units: number }[]; locale: Actor["locale"] }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <ul className="space-y-2 text-sm">
      {rows.map((r) => (
        <li key={r.key}>
          <div className="flex justify-between gap-2">
            <span className="truncate">{r.label}</span>
            <span className="tabular-nums text-slate-700">{formatKRW(r.value, locale)}</span>
          </div>
          <div className="mt-1 h-2 rounded bg-slate-100" aria-hidden="true">
            <div className="h-2 rounded bg-brand-600" style={{ width: `${(r.value / max) * 100}%` }} />
          </div>
        </li>
      ))}
    </ul>
  );
}

export async function StockByEngine({ actor }: { actor: Actor }) {
  const [b, t] = await Promise.all([getStockBreakdown(actor.caller), getTranslations("dashboard")]);
  const rows = b.by_engine.map((e) => ({
    key: e.engine_id ?? "none",
    label: e.engine_id ? itemName({ name_ko: e.name_ko ?? e.code, name_zh: e.name_zh, name_en: e.name_en }, actor.locale) : t("byEngine.none"),
    value: e.value,
    units: e.units,
  }));
  return <Bars rows={rows} locale={actor.locale} />;
}

export async function StockByLocation({ actor }: { actor: Actor }) {
  const b = await getStockBreakdown(actor.caller);
  return <Bars rows={b.by_location.map((l) => ({ key: l.location_id, label: `${l.code} · ${l.name}`, value: l.value, units: l.units }))} locale={actor.locale} />;
}

export async function TopMovers({ actor }: { actor: Actor }) {
  const [rows, t] = await Promise.all([getTopMovers(actor.caller), getTranslations("dashboard")]);
  if (rows.length === 0) return <p className="text-sm text-slate-700">{t("movers.empty")}</p>;
  return (
    <ol className="divide-y divide-slate-100 text-sm">
      {rows.map((r) => (
        <li key={r.item_id} className="flex justify-between gap-2 py-1.5">
          <Link href={`/items/${r.item_id}`} className="truncate text-brand-700 hover:underline">
            {r.sku} · {itemName(r, actor.locale)}
          </Link>
          <span className="tabular-nums text-slate-700">
            {formatQty(r.moved, actor.locale)} {r.unit}
          </span>
        </li>
      ))}
    </ol>
  );
}

export async function RecentActivity({ actor }: { actor: Actor }) {
  const [rows, t] = await Promise.all([getRecentActivity(actor.caller), getTranslations("dashboard")]);
  if (rows.length === 0) return <p className="text-sm text-slate-700">{t("activity.empty")}</p>;
  return (
    <ol className="divide-y divide-slate-100 text-sm">
      {rows.map((r) => (
        <li key={`${r.flow_id}-${r.at}`} className="flex flex-wrap items-center justify-between gap-2 py-1.5">
          <span className="flex items-center gap-2">
            <Link href={`/flows/${r.flow_id}`} className="font-medium text-brand-700 hover:underline">
              {r.number}
            </Link>
            <Badge tone={FLOW_STATUS_TONE[r.status] ?? "gray"}>{t(`status.${r.status}`)}</Badge>
          </span>
          <span className="text-slate-700">
            {r.by ? `${t("activity.by", { name: r.by })} · ` : ""}
            {formatDateTime(r.at, actor.locale)}
          </span>
        </li>
      ))}
    </ol>
  );
}

export async function LowStockList({ actor }: { actor: Actor }) {
  const [page, t] = await Promise.all([listStocks(actor.caller, { low: true, page: 1, limit: 8 }), getTranslations("dashboard")]);
  if (page.data.length === 0) return <p className="text-sm text-slate-700">{t("lowStockList.empty")}</p>;
  return (
    <>
      <table className="min-w-full text-sm">
        <caption className="sr-only">{t("lowStockList.title")}</caption>
        <thead>
          <tr className="text-left text-slate-700">
            <th scope="col" className="py-1 font-medium">SKU</th>
            <th scope="col" className="py-1 text-right font-medium">{t("lowStockList.onHand")}</th>
            <th scope="col" className="py-1 text-right font-medium">{t("lowStockList.reorderPoint")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {page.data.map((r) => (
            <tr key={r.item_id}>
              <td className="py-1.5">
                {/* Underlined: the SKU sits in a line of text, so colour alone must not mark the link (axe link-in-text-block). */}
                <Link href={`/items/${r.item_id}`} className="text-brand-700 underline underline-offset-2">
                  {r.sku}
                </Link>{" "}
                <span className="text-slate-700">{itemName(r, actor.locale)}</span>
              </td>
              <td className="py-1.5 text-right tabular-nums text-red-800">{formatQty(r.on_hand, actor.locale)}</td>
              <td className="py-1.5 text-right tabular-nums">{formatQty(r.reorder_point, actor.locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Link href="/stocks?low=true" className="mt-2 inline-block text-sm text-brand-700 hover:underline">
        {t("lowStockList.viewAll")} ({page.count})
      </Link>
    </>
  );
}
