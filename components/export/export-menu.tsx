import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";

// The Export menu of a list page: the list's API endpoint with the filters and sort the page is
// showing (as the page sent them to the API, so date ranges and status tabs mean the same),
// as ?format=xlsx (first, the default) or csv. A plain link download: the browser sends the
// session cookie, the API streams the file, nothing runs in the page.

type QueryValue = string | number | boolean | null | undefined;

/** The export URL: every set filter, never the page or page size (the file holds all rows). */
export function exportHref(api: string, query: Record<string, QueryValue>, format: "xlsx" | "csv"): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === "" || k === "page" || k === "limit" || k === "before") continue;
    params.set(k, String(v));
  }
  params.set("format", format);
  return `${api}?${params.toString()}`;
}

export async function ExportMenu({ api, query = {} }: { api: string; query?: Record<string, QueryValue> }) {
  const t = await getTranslations("exports");
  const item = "block rounded px-3 py-2 text-sm text-slate-800 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/50";
  return (
    <details className="relative" data-testid="export-menu">
      <summary className={buttonClass("secondary", "cursor-pointer list-none")}>
        {t("menu")}
        <span aria-hidden="true">▾</span>
      </summary>
      <div className="absolute right-0 z-20 mt-1 w-64 rounded-md border border-slate-200 bg-white p-1 shadow-lg">
        <a className={item} href={exportHref(api, query, "xlsx")} download data-testid="export-xlsx">
          {t("xlsx")}
        </a>
        <a className={item} href={exportHref(api, query, "csv")} download data-testid="export-csv">
          {t("csv")}
        </a>
        <p className="px-3 pt-1 pb-2 text-xs text-slate-600">{t("hint")}</p>
      </div>
    </details>
  );
}
