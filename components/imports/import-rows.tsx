"use client";

import { useTranslations } from "next-intl";
import type { ImportRecord, ImportRow, RowStatus } from "@/lib/data/imports";

// The checked rows of one status: the mapped cells, the messages per cell in the user's
// language, and for updates what changes from what to what.

const TABS: RowStatus[] = ["error", "new", "changed", "unchanged"];

function useRowText() {
  const t = useTranslations("imports");
  return {
    field: (f: string) => (t.has(`fields.${f}`) ? t(`fields.${f}`) : f),
    error: (code: string, params: Record<string, unknown> = {}) => {
      const values = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)]));
      return t.has(`errors.${code}`) ? t(`errors.${code}`, values) : code;
    },
  };
}

export function ImportRows({ record, tab, rows, onTab }: { record: ImportRecord; tab: RowStatus; rows: ImportRow[]; onTab: (s: RowStatus) => void }) {
  const t = useTranslations("imports");
  const text = useRowText();
  const columns = Object.entries(record.mapping).sort((a, b) => a[1] - b[1]);
  return (
    <div className="mt-4">
      <div className="flex flex-wrap gap-1" role="tablist">
        {TABS.map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={tab === s}
            onClick={() => onTab(s)}
            className={`rounded-md px-3 py-1 text-sm ${tab === s ? "bg-brand-600 text-white" : "bg-slate-100 text-slate-800"}`}
          >
            {t(`rowStatus.${s}`)} ({record.rows[s]})
          </button>
        ))}
      </div>
      {rows.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">{t("page.noRows")}</p>
      ) : (
        // Wider than a phone: the report scrolls sideways in its own box, which keyboard users
        // reach with Tab and scroll with the arrow keys (it holds nothing else to focus).
        <div className="mt-3 overflow-x-auto" tabIndex={0} role="region" aria-label={t("page.rowsRegion")}>
          <table className="min-w-full text-left text-sm" data-testid="import-rows">
            <thead>
              <tr className="border-b border-slate-200 text-xs text-slate-600">
                <th className="px-2 py-1">{t("page.row")}</th>
                {columns.map(([field]) => (
                  <th key={field} className="px-2 py-1">{text.field(field)}</th>
                ))}
                <th className="px-2 py-1">{tab === "changed" ? t("page.changes") : t("page.messages")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const bad = new Set(r.errors.map((e) => e.field));
                return (
                  <tr key={r.row_no} className="border-b border-slate-100">
                    <td className="px-2 py-1 text-slate-600">{r.row_no}</td>
                    {columns.map(([field, col]) => (
                      <td key={field} className={`px-2 py-1 ${bad.has(field) ? "bg-red-100 text-red-900" : ""}`}>{r.cells[col] ?? ""}</td>
                    ))}
                    <td className="px-2 py-1">
                      {r.errors.map((e, i) => (
                        <div key={i} className="text-red-800">{`${text.field(e.field)}: ${text.error(e.code, e.params)}`}</div>
                      ))}
                      {Object.entries(r.changes ?? {}).map(([f, c]) => (
                        <div key={f} className="text-slate-800">{`${text.field(f)}: ${String(c.from ?? "—")} → ${String(c.to ?? "—")}`}</div>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
