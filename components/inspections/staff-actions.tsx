"use client";

import { useTranslations } from "next-intl";
import { controlClass, Field } from "@/components/flows/form-field";
import { useForm } from "@/components/toolkit/use-form";
import { Button } from "@/components/ui/button";
import { INSPECTION_RESULTS, type InspectionResult, type InspectionStatus } from "@/lib/schemas/values";
import { CancelInspectionButton } from "./cancel-button";
import { useInspectionAction } from "./use-inspection-action";

export type InspectorOption = { id: string; name: string };

type Props = {
  inspection: { id: string; status: InspectionStatus; scheduled_date: string | null; inspector_id: string | null; result: InspectionResult };
  inspectors: InspectorOption[];
};

/** Staff workflow: schedule (and reschedule), start, report ready, complete with a result, cancel. */
export function StaffInspectionActions({ inspection, inspectors }: Props) {
  const t = useTranslations("inspections");
  const { run, busy, disabled, alert } = useInspectionAction(inspection.id);
  // The fields of the steps; each step's busy state and error line belong to the action hook.
  const form = useForm({ scheduled_date: inspection.scheduled_date ?? "", inspector_id: inspection.inspector_id ?? "", result: inspection.result });
  const { scheduled_date: date, inspector_id: inspector, result } = form.values;
  const s = inspection.status;
  const closed = s === "completed" || s === "cancelled";

  const schedule = form.submit(() => run("schedule", { scheduled_date: date, inspector_id: inspector }));

  const resultSelect = (
    <Field id="action-result" label={t("fields.result")}>
      <select id="action-result" value={result} onChange={form.set("result")} className={controlClass()} data-testid="action-result">
        {INSPECTION_RESULTS.map((r) => (
          <option key={r} value={r}>
            {t(`results.${r}`)}
          </option>
        ))}
      </select>
    </Field>
  );

  if (closed) return <p className="text-sm text-slate-700">{t("actions.none")}</p>;

  return (
    <div className="space-y-4" role="group" aria-label={t("actions.label")}>
      {s === "submitted" || s === "scheduled" ? (
        <form {...form.formProps} onSubmit={schedule} className="flex flex-wrap items-end gap-3" data-testid="schedule-form">
          <Field id="action-date" label={t("fields.scheduledDate")}>
            <input id="action-date" type="date" required value={date} onChange={form.set("scheduled_date")} className={controlClass()} data-testid="schedule-date" />
          </Field>
          <Field id="action-inspector" label={t("fields.inspector")}>
            <select id="action-inspector" required value={inspector} onChange={form.set("inspector_id")} className={controlClass()} data-testid="schedule-inspector">
              <option value="">{t("actions.chooseInspector")}</option>
              {inspectors.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </Field>
          <Button type="submit" variant="primary" disabled={disabled || !date || !inspector} data-testid="action-schedule">
            {busy === "schedule" ? t("actions.working") : s === "scheduled" ? t("actions.reschedule") : t("actions.schedule")}
          </Button>
        </form>
      ) : null}
      {s === "scheduled" ? (
        <Button variant="primary" disabled={disabled} onClick={() => run("start")} data-testid="action-start">
          {busy === "start" ? t("actions.working") : t("actions.start")}
        </Button>
      ) : null}
      {s === "in_progress" ? (
        <div className="flex flex-wrap items-end gap-3">
          {resultSelect}
          <Button variant="primary" disabled={disabled} onClick={() => run("report", { result })} data-testid="action-report">
            {busy === "report" ? t("actions.working") : t("actions.report")}
          </Button>
          <p className="w-full text-xs text-slate-700">{t("actions.reportHint")}</p>
        </div>
      ) : null}
      {s === "report_ready" ? (
        <div className="flex flex-wrap items-end gap-3">
          {resultSelect}
          <Button variant="primary" disabled={disabled} onClick={() => run("complete", { result })} data-testid="action-complete">
            {busy === "complete" ? t("actions.working") : t("actions.complete")}
          </Button>
        </div>
      ) : null}
      {alert ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="inspection-action-error">
          {alert}
        </p>
      ) : null}
      <div className="border-t border-slate-200 pt-3">
        <CancelInspectionButton inspectionId={inspection.id} />
      </div>
    </div>
  );
}
