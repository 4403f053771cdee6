import { getTranslations } from "next-intl/server";
import { ScrollBox } from "@/components/ui/scroll-box";
import type { Flow } from "@/lib/data/flows";
import { formatQty } from "@/lib/format";
import { itemName, type Locale } from "@/lib/i18n/locales";

/** A flow's lines, item names in the reader's language. */
export async function FlowLineTable({ flow, locale }: { flow: Flow; locale: Locale }) {
  const t = await getTranslations("flows");
  const signed = flow.kind === "adjustment";
  const caption = t("detail.linesCaption", { number: flow.number });
  return (
    <ScrollBox label={caption}>
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-medium text-slate-700">
              #
            </th>
            <th scope="col" className="px-3 py-2 text-left font-medium text-slate-700">
              {t("form.sku")}
            </th>
            <th scope="col" className="px-3 py-2 text-left font-medium text-slate-700">
              {t("form.itemName")}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium text-slate-700">
              {t("form.qty")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {flow.lines.length === 0 ? (
            <tr>
              <td colSpan={4} className="px-3 py-6 text-center text-slate-700">
                {t("form.noLines")}
              </td>
            </tr>
          ) : (
            flow.lines.map((line) => (
              <tr key={line.line_no} data-testid={`flow-line-${line.sku}`}>
                <td className="px-3 py-2 text-slate-700">{line.line_no}</td>
                <td className="whitespace-nowrap px-3 py-2 font-mono text-slate-900">{line.sku}</td>
                <td className="px-3 py-2 text-slate-900">{itemName(line, locale)}</td>
                <td className="whitespace-nowrap px-3 py-2 text-right text-slate-900">
                  {signed && line.qty > 0 ? "+" : ""}
                  {formatQty(line.qty, locale)} {line.unit}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </ScrollBox>
  );
}
