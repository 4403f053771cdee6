import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { OpsStatus } from "@/lib/data/ops";
import { SCHEDULED_JOBS } from "@/lib/ops/scheduled-jobs";

const th = "px-2 py-1.5 text-left font-medium text-slate-700";
const td = "px-2 py-1.5 text-slate-900";

type Summary = OpsStatus["job_summary"][number];

/**
 * One row per scheduled job: its last run and outcome, its last failure with the error, its
 * runs and failures in the last 24 hours. Every job of vercel.json has a row, also one that has
 * not run in the 30 days runs are kept (its cron is not set up, or its calls are refused).
 */
export async function JobSummaryCard({ summary }: { summary: Summary[] }) {
  const [t, j, format] = await Promise.all([getTranslations("ops.status.jobSummary"), getTranslations("ops.status.jobs"), getFormatter()]);
  const time = (iso: string) => format.dateTime(new Date(iso), "long");
  const byJob = new Map(summary.map((s) => [s.job, s]));
  const names = [...new Set<string>([...SCHEDULED_JOBS, ...byJob.keys()])].sort();
  return (
    <Card title={t("title")} className="mb-6">
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="job-summary">
          <thead>
            <tr>
              <th className={th}>{t("job")}</th><th className={th}>{t("lastRun")}</th><th className={th}>{t("outcome")}</th>
              <th className={th}>{t("lastFailure")}</th><th className={th}>{t("runs")}</th><th className={th}>{t("failures")}</th>
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const s = byJob.get(name);
              return (
                <tr key={name} className="border-t border-slate-200 align-top" data-testid={`job-summary-${name}`}>
                  <td className={`${td} font-mono`}>{name}</td>
                  {s ? (
                    <>
                      <td className={td}>{time(s.last_run.started_at)}</td>
                      <td className={td}><Badge tone={s.last_run.ok ? "green" : "red"}>{s.last_run.ok ? j("ok") : j("failed")}</Badge></td>
                      <td className={td}>
                        {s.last_failure ? (
                          <>
                            {time(s.last_failure.started_at)}
                            {s.last_failure.error ? <span className="block break-all text-xs text-slate-700">{s.last_failure.error}</span> : null}
                          </>
                        ) : (
                          t("noFailure")
                        )}
                      </td>
                      <td className={`${td} tabular-nums`}>{format.number(s.runs)}</td>
                      <td className={`${td} tabular-nums`}>{format.number(s.failures)}</td>
                    </>
                  ) : (
                    <td className={td} colSpan={5}><Badge tone="amber">{t("never")}</Badge></td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

/** The latest runs, each with its outcome; the every-minute and every-5-minutes jobs' only when they failed. */
export async function JobRunsCard({ runs }: { runs: OpsStatus["jobs"] }) {
  const [t, format] = await Promise.all([getTranslations("ops.status.jobs"), getFormatter()]);
  return (
    <Card title={t("title")}>
      <p className="mb-3 text-sm text-slate-700">{t("frequentNote")}</p>
      {runs.length === 0 ? (
        <p className="text-sm text-slate-700">{t("empty")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="job-runs">
            <thead>
              <tr><th className={th}>{t("job")}</th><th className={th}>{t("started")}</th><th className={th}>{t("duration")}</th><th className={th}>{t("outcome")}</th></tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} className="border-t border-slate-200">
                  <td className={`${td} font-mono`}>{r.job}</td>
                  <td className={td}>{format.dateTime(new Date(r.started_at), "long")}</td>
                  <td className={td}>{format.number((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000, { style: "unit", unit: "second", maximumFractionDigits: 1 })}</td>
                  <td className={td}><Badge tone={r.ok ? "green" : "red"}>{r.ok ? t("ok") : t("failed")}</Badge></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
