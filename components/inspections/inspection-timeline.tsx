import { getTranslations } from "next-intl/server";
import type { Inspection } from "@/lib/data/inspections";
import { formatDate, formatDateTime } from "@/lib/format";
import type { Locale } from "@/lib/i18n/locales";

const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);

/** Who moved the application on, when, oldest first (customers get only the entries meant for them). */
export async function InspectionTimeline({ inspection, locale }: { inspection: Inspection; locale: Locale }) {
  const t = await getTranslations("inspections");
  return (
    <ol aria-label={t("timeline.label")} className="relative space-y-4 border-l-2 border-slate-200 pl-5" data-testid="inspection-timeline">
      {inspection.timeline.map((e) => {
        const date = text(e.detail.scheduled_date);
        const result = text(e.detail.result);
        const reason = text(e.detail.reason);
        return (
          <li key={e.id} className="relative" data-testid={`timeline-${e.action}`}>
            <span aria-hidden="true" className="absolute -left-[27px] top-1.5 h-3 w-3 rounded-full border-2 border-white bg-brand-600" />
            <p className="text-sm font-medium text-slate-900">{t(`timeline.${e.action}`, { name: e.actor_name || t("timeline.unknownUser") })}</p>
            <p className="text-xs text-slate-700">
              <time dateTime={e.created_at}>{formatDateTime(e.created_at, locale)}</time>
            </p>
            {date ? (
              <p className="mt-1 text-sm text-slate-800">
                {t("timeline.scheduledFor", { date: formatDate(date, locale), inspector: text(e.detail.inspector_name) ?? t("detail.none") })}
              </p>
            ) : null}
            {result && (e.action === "completed" || e.action === "report_ready") ? (
              <p className="mt-1 text-sm text-slate-800">{t("timeline.result", { result: t.has(`results.${result}`) ? t(`results.${result}`) : result })}</p>
            ) : null}
            {reason ? <p className="mt-1 text-sm text-slate-800">{t("timeline.reason", { reason })}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}
