import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PAGE_SIZES } from "./page-size";
import { paging } from "./paging";

/**
 * Page links and the page-size choice (10/25/50/100 rows, ?limit=), keeping every other query
 * parameter (server-side pagination lives in the URL). Choosing a size starts again at page 1.
 * `result` is the list's page as its data module answers it; where it says `count_exact: false`,
 * the count is an estimate (see paging()).
 */
export async function Pagination({
  basePath,
  params,
  result,
}: {
  basePath: string;
  params: Record<string, string | undefined>;
  result: { page: number; limit: number; count: number; count_exact?: boolean; data: readonly unknown[] };
}) {
  const t = await getTranslations("common");
  const { page, limit, count } = result;
  const { pages, about, hasNext } = paging({ page, limit, count, exact: result.count_exact !== false, full: result.data.length === limit });
  const href = (p: number, size: number = limit) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "" && k !== "page" && k !== "limit") q.set(k, v);
    q.set("limit", String(size));
    if (p > 1) q.set("page", String(p));
    const s = q.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  const linkClass = "rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100";
  return (
    <div className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      <nav aria-label={t("table.pagination")} className="flex flex-wrap items-center gap-3">
        <span>
          {about ? t("table.totalAbout", { count }) : t("table.total", { count })} · {about ? t("table.pageAbout", { page, pages }) : t("table.page", { page, pages })}
        </span>
        <span className="flex gap-2">
          {page > 1 ? (
            <Link className={linkClass} href={href(page - 1)} rel="prev">
              {t("actions.previous")}
            </Link>
          ) : null}
          {hasNext ? (
            <Link className={linkClass} href={href(page + 1)} rel="next">
              {t("actions.next")}
            </Link>
          ) : null}
        </span>
      </nav>
      <nav aria-label={t("table.pageSize")} className="flex items-center gap-1" data-testid="page-size">
        <span className="mr-1">{t("table.rowsPerPage")}</span>
        {PAGE_SIZES.map((size) => (
          <Link
            key={size}
            href={href(1, size)}
            aria-current={size === limit ? "true" : undefined}
            className={`rounded-md px-2 py-0.5 ${size === limit ? "bg-brand-600 font-medium text-white" : "border border-slate-300 bg-white hover:bg-slate-100"}`}
          >
            {size}
          </Link>
        ))}
      </nav>
    </div>
  );
}
