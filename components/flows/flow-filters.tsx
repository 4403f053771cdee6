import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { FLOW_STATUSES } from "@/lib/schemas/flows";
import { listHref, urlParams } from "@/components/toolkit/list-url";
import { flowListUrl, type FlowListParams } from "./list-query";

const control = "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30";

/** Status, date range and search as a plain GET form: works before (and without) JavaScript. */
export async function FlowFilters({ params }: { params: FlowListParams }) {
  const t = await getTranslations("flows.filters");
  const tc = await getTranslations("flows.statuses");
  return (
    <form method="get" action="/flows" role="search" aria-label={t("label")} className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-2 lg:grid-cols-5">
      {params.kind ? <input type="hidden" name="kind" value={params.kind} /> : null}
      {urlParams(flowListUrl, params).limit ? <input type="hidden" name="limit" value={params.limit} /> : null}
      <div className="sm:col-span-2 lg:col-span-1">
        <label htmlFor="flows-q" className="block text-sm font-medium text-slate-800">
          {t("q")}
        </label>
        <input id="flows-q" name="q" type="search" defaultValue={params.q ?? ""} placeholder={t("qPlaceholder")} maxLength={100} className={control} />
      </div>
      <div>
        <label htmlFor="flows-status" className="block text-sm font-medium text-slate-800">
          {t("status")}
        </label>
        <select id="flows-status" name="status" defaultValue={params.status ?? ""} className={control}>
          <option value="">{t("allStatuses")}</option>
          {FLOW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {tc(s)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="flows-from" className="block text-sm font-medium text-slate-800">
          {t("from")}
        </label>
        <input id="flows-from" name="from" type="date" defaultValue={params.from ?? ""} className={control} />
      </div>
      <div>
        <label htmlFor="flows-to" className="block text-sm font-medium text-slate-800">
          {t("to")}
        </label>
        <input id="flows-to" name="to" type="date" defaultValue={params.to ?? ""} className={control} />
      </div>
      <div className="flex items-end gap-2">
        <button type="submit" className={buttonClass("primary")}>
          {t("apply")}
        </button>
        <Link href={listHref("/flows", { kind: params.kind })} className={buttonClass("secondary")}>
          {t("reset")}
        </Link>
      </div>
    </form>
  );
}
