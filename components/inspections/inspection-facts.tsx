import { getTranslations } from "next-intl/server";
import type { Inspection } from "@/lib/data/inspections";
import { formatDate, formatDateTime, formatQty } from "@/lib/format";
import type { Locale } from "@/lib/i18n/locales";
import { InspectionResultBadge } from "./status-badge";

/** The application's fields. Staff also see the customer and the applicant's email. */
export async function InspectionFacts({ inspection: i, locale, staff }: { inspection: Inspection; locale: Locale; staff: boolean }) {
  const t = await getTranslations("inspections");
  const none = t("detail.none");
  const rows: [string, React.ReactNode][] = [
    ...(staff ? ([[t("fields.customer"), `${i.customer.name} (${i.customer.code})`]] as [string, React.ReactNode][]) : []),
    [t("fields.product"), i.product],
    [t("fields.quantity"), i.quantity === null ? none : formatQty(i.quantity, locale)],
    [t("fields.type"), t(`types.${i.inspection_type}`)],
    [t("fields.factoryName"), i.factory_name],
    [t("fields.factoryAddress"), i.factory_address || none],
    [t("fields.factoryContact"), i.factory_contact || none],
    [t("fields.requestedDate"), formatDate(i.requested_date, locale)],
    [t("fields.scheduledDate"), i.scheduled_date ? formatDate(i.scheduled_date, locale) : none],
    [t("fields.inspector"), i.inspector_name ?? none],
    [t("fields.result"), i.status === "report_ready" || i.status === "completed" ? <InspectionResultBadge result={i.result} /> : none],
    [t("fields.applicant"), [i.applicant_name, staff ? i.applicant_email : null].filter(Boolean).join(" · ") || none],
    [t("fields.submittedAt"), formatDateTime(i.submitted_at, locale)],
    [t("fields.notes"), i.notes || none],
    ...(i.cancel_reason ? ([[t("fields.cancelReason"), i.cancel_reason]] as [string, React.ReactNode][]) : []),
  ];
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2" data-testid="inspection-facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt className="font-medium text-slate-700">{label}</dt>
          <dd className="mt-0.5 whitespace-pre-line break-words text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
