import { getTranslations } from "next-intl/server";
import { TabNav } from "@/components/ui/tab-nav";
import { INSPECTION_STATUSES } from "@/lib/schemas/inspections";

/** The queue's tabs: open, all, then one per status. `current` is "open", "all" or a status. */
export async function InspectionStatusTabs({ basePath, current, extra = {} }: { basePath: string; current: string; extra?: Record<string, string | undefined> }) {
  const t = await getTranslations("inspections");
  const tabs = [
    { key: "open", label: t("tabs.open") },
    { key: "all", label: t("tabs.all") },
    ...INSPECTION_STATUSES.map((s) => ({ key: s, label: t(`statuses.${s}`) })),
  ];
  const href = (key: string) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
    if (key !== "open") q.set("status", key);
    const s = q.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  return <TabNav label={t("tabs.label")} tabs={tabs.map((tab) => ({ ...tab, href: href(tab.key), current: tab.key === current }))} />;
}

/** `?status=` of the queue URL as a list filter: open (default), all, or one status. */
export function statusFilter(raw: unknown): { current: string; status?: (typeof INSPECTION_STATUSES)[number]; open?: boolean } {
  const value = typeof raw === "string" ? raw : "";
  const status = INSPECTION_STATUSES.find((s) => s === value);
  if (status) return { current: status, status };
  if (value === "all") return { current: "all" };
  return { current: "open", open: true };
}
