import Link from "next/link";
import { getTranslations } from "next-intl/server";
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
  return (
    <nav aria-label={t("tabs.label")} className="mb-4 overflow-x-auto border-b border-slate-200">
      <ul className="flex min-w-max gap-1">
        {tabs.map((tab) => {
          const active = tab.key === current;
          return (
            <li key={tab.key}>
              <Link
                href={href(tab.key)}
                aria-current={active ? "page" : undefined}
                className={`-mb-px inline-block border-b-2 px-3 py-2 text-sm font-medium ${
                  active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-700 hover:border-slate-300 hover:text-slate-900"
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

/** `?status=` of the queue URL as a list filter: open (default), all, or one status. */
export function statusFilter(raw: unknown): { current: string; status?: (typeof INSPECTION_STATUSES)[number]; open?: boolean } {
  const value = typeof raw === "string" ? raw : "";
  const status = INSPECTION_STATUSES.find((s) => s === value);
  if (status) return { current: status, status };
  if (value === "all") return { current: "all" };
  return { current: "open", open: true };
}
