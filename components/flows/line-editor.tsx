"use client";

import { useLocale, useTranslations } from "next-intl";
import { formatQty } from "@/lib/format";
import { isLocale, itemName } from "@/lib/i18n/locales";
import { RequiredMark } from "./form-field";
import type { FormLine } from "./form-types";

/** Stock of a line's item in the chosen warehouse: null = no warehouse chosen yet, undefined = loading. */
export type LineStock = { available: number | null | undefined; short: number };

type Props = {
  lines: FormLine[];
  stock: Record<number, LineStock>;
  /** Column header: the chosen warehouse's code, if any. */
  warehouseCode: string | null;
  /** Field error text per line index (quantity or item), already translated. */
  errors: Record<number, string | undefined>;
  allowNegative: boolean;
  onQty: (index: number, qty: string) => void;
  onBlurQty: (index: number) => void;
  onRemove: (index: number) => void;
};

function StockCell({ hint, unit, locale }: { hint: LineStock | undefined; unit: string; locale: "ko" | "zh" | "en" }) {
  const t = useTranslations("flows.form");
  if (!hint || hint.available === null) return <span className="text-slate-700">{t("chooseWarehouseFirst")}</span>;
  if (hint.available === undefined) return <span className="text-slate-700">…</span>;
  return (
    <span className="flex flex-col items-end">
      <span>{`${formatQty(hint.available, locale)} ${unit}`}</span>
      {hint.short > 0 ? (
        <span className="text-xs font-medium text-red-800" data-testid="line-shortfall">
          {t("shortBy", { qty: formatQty(hint.short, locale), unit })}
        </span>
      ) : null}
    </span>
  );
}

/** The lines being edited: one row per item with its quantity input. */
export function LineEditor({ lines, stock, warehouseCode, errors, allowNegative, onQty, onBlurQty, onRemove }: Props) {
  const t = useTranslations("flows.form");
  const raw = useLocale();
  const locale = isLocale(raw) ? raw : "ko";
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{t("linesCaption")}</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-medium text-slate-700">
              {t("sku")}
            </th>
            <th scope="col" className="px-3 py-2 text-left font-medium text-slate-700">
              {t("itemName")}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium text-slate-700">
              {warehouseCode ? t("stockIn", { warehouse: warehouseCode }) : t("stockInWarehouse")}
            </th>
            <th scope="col" className="px-3 py-2 text-left font-medium text-slate-700">
              {t("qty")}
              <RequiredMark />
            </th>
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">{t("lineActions")}</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 bg-white">
          {lines.length === 0 ? (
            <tr>
              <td colSpan={5} className="px-3 py-6 text-center text-slate-700">
                {t("noLines")}
              </td>
            </tr>
          ) : (
            lines.map((line, i) => {
              const error = errors[i];
              const inputId = `flow-line-${i}-qty`;
              return (
                <tr key={line.item.id} data-testid={`line-${line.item.sku}`}>
                  <td className="whitespace-nowrap px-3 py-2 font-mono text-slate-900">{line.item.sku}</td>
                  <td className="px-3 py-2 text-slate-900">{itemName(line.item, locale)}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-right text-slate-800" data-testid={`line-${line.item.sku}-stock`}>
                    <StockCell hint={stock[i]} unit={line.item.unit} locale={locale} />
                  </td>
                  <td className="px-3 py-2">
                    <div className="flex items-center gap-2">
                      <input
                        id={inputId}
                        type="number"
                        inputMode="decimal"
                        step="any"
                        min={allowNegative ? undefined : 0}
                        required
                        aria-label={t("qtyFor", { sku: line.item.sku })}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? `${inputId}-error` : undefined}
                        value={line.qty}
                        onChange={(e) => onQty(i, e.target.value)}
                        onBlur={() => onBlurQty(i)}
                        className={`w-28 rounded-md border px-2 py-1 text-right ${error ? "border-red-700" : "border-slate-400"}`}
                      />
                      <span className="text-slate-700">{line.item.unit}</span>
                    </div>
                    {error ? (
                      <p id={`${inputId}-error`} className="mt-1 text-xs text-red-800">
                        {error}
                      </p>
                    ) : null}
                  </td>
                  <td className="px-3 py-2 text-right">
                    <button
                      type="button"
                      onClick={() => onRemove(i)}
                      className="rounded-md px-2 py-1 text-sm text-red-800 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/50"
                    >
                      {t("removeLine")}
                      <span className="sr-only"> {line.item.sku}</span>
                    </button>
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
