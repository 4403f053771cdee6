import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { FLOW_KINDS } from "@/lib/schemas/flows";
import { listHref, type FlowListParams } from "./list-params";

/** One tab per kind; switching keeps the other filters and goes back to page 1. */
export async function KindTabs({ params }: { params: FlowListParams }) {
  const t = await getTranslations("flows");
  const tabs = [{ kind: undefined, label: t("list.allKinds") }, ...FLOW_KINDS.map((kind) => ({ kind, label: t(`kinds.${kind}`) }))];
  return (
    <nav aria-label={t("list.kindTabs")} className="mb-4 overflow-x-auto border-b border-slate-200">
      <ul className="flex min-w-max gap-1">
        {tabs.map((tab) => {
          const current = tab.kind === params.kind;
          return (
            <li key={tab.kind ?? "all"}>
              <Link
                href={listHref({ ...params, kind: tab.kind, page: 1 })}
                aria-current={current ? "page" : undefined}
                className={`-mb-px inline-block border-b-2 px-3 py-2 text-sm font-medium ${
                  current ? "border-brand-600 text-brand-700" : "border-transparent text-slate-700 hover:border-slate-300 hover:text-slate-900"
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
