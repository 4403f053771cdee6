import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** Page links that keep every other query parameter (server-side pagination lives in the URL). */
export async function Pagination({ basePath, params, page, limit, count }: { basePath: string; params: Record<string, string | undefined>; page: number; limit: number; count: number }) {
  const t = await getTranslations("common");
  const pages = Math.max(1, Math.ceil(count / limit));
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "" && k !== "page") q.set(k, v);
    if (p > 1) q.set("page", String(p));
    const s = q.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  const linkClass = "rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100";
  return (
    <nav aria-label={t("table.pagination")} className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-700">
      <span>
        {t("table.total", { count })} · {t("table.page", { page, pages })}
      </span>
      <span className="flex gap-2">
        {page > 1 ? (
          <Link className={linkClass} href={href(page - 1)} rel="prev">
            {t("actions.previous")}
          </Link>
        ) : null}
        {page < pages ? (
          <Link className={linkClass} href={href(page + 1)} rel="next">
            {t("actions.next")}
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
