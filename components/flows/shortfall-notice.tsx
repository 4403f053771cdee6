import { getTranslations } from "next-intl/server";
import type { Shortfall } from "@/lib/data/flows";
import { formatQty } from "@/lib/format";
import type { Locale } from "@/lib/i18n/locales";

/**
 * The lines of an open flow that lack stock in their warehouse right now. A warning for whoever
 * submits, approves or commits it: commit itself is the guard and refuses while it holds.
 */
export async function ShortfallNotice({ shortfalls, units, locale }: { shortfalls: Shortfall[]; units: Record<string, string>; locale: Locale }) {
  if (shortfalls.length === 0) return null;
  const t = await getTranslations("flows.stock");
  return (
    <section
      role="status"
      aria-labelledby="flow-shortfall-title"
      data-testid="flow-shortfall"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
    >
      <h2 id="flow-shortfall-title" className="font-semibold">
        {t("title", { count: shortfalls.length })}
      </h2>
      <p className="mt-1">{t("explain")}</p>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        {shortfalls.map((s) => {
          const unit = units[s.item_id] ?? "";
          return (
            <li key={s.line_no} data-testid={`shortfall-${s.sku}`}>
              {t("line", {
                sku: s.sku,
                warehouse: s.location_code,
                requested: `${formatQty(s.requested, locale)} ${unit}`.trim(),
                available: `${formatQty(s.available, locale)} ${unit}`.trim(),
                short: `${formatQty(s.short, locale)} ${unit}`.trim(),
              })}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
