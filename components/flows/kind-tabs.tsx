import { getTranslations } from "next-intl/server";
import { TabNav } from "@/components/ui/tab-nav";
import { FLOW_KINDS } from "@/lib/schemas/flows";
import { listHref, urlParams } from "@/components/toolkit/list-url";
import { flowListUrl, type FlowListParams } from "./list-query";

/** One tab per kind; switching keeps the other filters and goes back to page 1. */
export async function KindTabs({ params }: { params: FlowListParams }) {
  const t = await getTranslations("flows");
  const tabs = [{ kind: undefined, label: t("list.allKinds") }, ...FLOW_KINDS.map((kind) => ({ kind, label: t(`kinds.${kind}`) }))];
  return (
    <TabNav
      label={t("list.kindTabs")}
      tabs={tabs.map((tab) => ({ key: tab.kind ?? "all", label: tab.label, href: listHref("/flows", urlParams(flowListUrl, { ...params, kind: tab.kind, page: 1 })), current: tab.kind === params.kind }))}
    />
  );
}
