import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { Inspection } from "@/lib/data/inspections";
import { InspectionStatusBadge } from "./status-badge";

/**
 * The top of an inspection page, staff or portal: the way back to the list, the number and the
 * status, then what that side shows beside them (the product, or the customer for staff).
 */
export async function InspectionHeader({ inspection, backHref, children }: { inspection: Inspection; backHref: string; children: React.ReactNode }) {
  const t = await getTranslations("inspections");
  return (
    <>
      <nav aria-label={t("detail.breadcrumb")} className="mb-2 text-sm">
        <Link href={backHref} className="text-brand-700 underline-offset-2 hover:underline">
          {t("detail.back")}
        </Link>
      </nav>
      <div className="mb-6 flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-2xl font-semibold text-slate-900" data-testid="inspection-number">
          {inspection.number}
        </h1>
        <InspectionStatusBadge status={inspection.status} />
        {children}
      </div>
    </>
  );
}
