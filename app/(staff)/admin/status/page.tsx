import { mailConfig } from "@/lib/mail/config";
import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { BarChart, type Bar } from "@/components/ops/bar-chart";
import { JobRunsCard, JobSummaryCard } from "@/components/ops/job-runs";
import { MailOutboxCard } from "@/components/ops/mail-outbox";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";
import { getOpsStatus } from "@/lib/data/ops";
import { RULES, type Rule } from "@/lib/ops/alerts";
import { maintenance } from "@/lib/ops/maintenance";
import { p95FromHistogram } from "@/lib/ops/route-group";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("ops");
  return { title: t("status.title") };
}

const control = "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900";
const th = "px-2 py-1.5 text-left font-medium text-slate-700";
const td = "px-2 py-1.5 text-slate-900";
const MB = 1024 * 1024;

const isRule = (r: string): r is Rule => (RULES as readonly string[]).includes(r);

// /admin/status — admins only: the last 24 hours as small charts, alerts now and before, backups, the mail outbox, each job's last run and recent runs, and the maintenance switch
export default async function StatusPage() {
  const actor = await requireActor("audit:read");
  const [t, format, status, mode] = await Promise.all([
    getTranslations("ops"),
    getFormatter(),
    getOpsStatus(actor, 24),
    maintenance(),
  ]);
  const time = (iso: string | null) => (iso ? format.dateTime(new Date(iso), "long") : "–");
  const hour = (iso: string) => format.dateTime(new Date(iso), { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const n = (v: number | null) => (v === null ? "–" : format.number(v, { maximumFractionDigits: 1 }));
  const ruleName = (r: string) => (isRule(r) ? t(`status.rules.${r}`) : r);

  const series: { key: string; title: string; bars: Bar[]; tone?: string }[] = [
    { key: "requests", title: t("status.charts.requests"), bars: status.traffic.map((h) => ({ label: hour(h.hour), value: h.requests })) },
    {
      key: "errors",
      title: t("status.charts.errorRate"),
      bars: status.traffic.map((h) => ({ label: hour(h.hour), value: h.errors_5xx })),
      tone: "#dc2626",
    },
    { key: "p95", title: t("status.charts.p95"), bars: status.traffic.map((h) => ({ label: hour(h.hour), value: p95FromHistogram(h.histogram ?? []) })), tone: "#d97706" },
    { key: "connections", title: t("status.charts.connections"), bars: status.samples.map((s) => ({ label: hour(s.at), value: s.connections })), tone: "#7c3aed" },
    { key: "size", title: t("status.charts.size"), bars: status.samples.map((s) => ({ label: hour(s.at), value: Math.round((s.database_bytes / MB) * 10) / 10 })), tone: "#0891b2" },
  ];
  const firing = status.alerts.filter((a) => a.status === "firing");
  // Both SMTP_URL and MAIL_FROM are needed to send (lib/mail/config.ts); without them mail waits.
  const mailConfigured = Boolean(mailConfig());

  return (
    <>
      <PageHeader title={t("status.title")} description={t("status.description")} />

      <Card title={t("maintenance.adminTitle")} className="mb-6">
        <p className="mb-3 text-sm text-slate-900" data-testid="maintenance-state">
          {mode.active ? t("maintenance.adminOn") : t("maintenance.adminOff")}
          {mode.active && mode.ends_at ? ` ${t("maintenance.until", { time: time(mode.ends_at) })}` : ""}
        </p>
        {mode.source === "env" ? (
          <p className="text-sm text-slate-700">{t("maintenance.fromEnv")}</p>
        ) : mode.active ? (
          <form method="post" action="/api/v1/ops/maintenance">
            <input type="hidden" name="active" value="false" />
            <button type="submit" className={buttonClass("primary")}>{t("maintenance.turnOff")}</button>
          </form>
        ) : (
          <form method="post" action="/api/v1/ops/maintenance" className="grid gap-3 sm:grid-cols-2">
            <input type="hidden" name="active" value="true" />
            <label className="text-sm text-slate-900">
              {t("maintenance.messageLabel")}
              <input name="message" maxLength={500} className={control} />
            </label>
            <label className="text-sm text-slate-900">
              {t("maintenance.endsLabel")}
              <input name="ends_at" type="datetime-local" className={control} />
            </label>
            <div className="sm:col-span-2">
              <button type="submit" className={buttonClass("danger")}>{t("maintenance.turnOn")}</button>
            </div>
          </form>
        )}
      </Card>

      <div className="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {series.map((s) => {
          const values = s.bars.map((b) => b.value).filter((v): v is number => v !== null);
          return (
            <BarChart
              key={s.key}
              testId={`chart-${s.key}`}
              title={s.title}
              bars={s.bars}
              tone={s.tone}
              empty={t("status.charts.empty")}
              latest={t("status.charts.latest", { value: n(values.at(-1) ?? null) })}
              max={t("status.charts.max", { value: n(values.length ? Math.max(...values) : null) })}
            />
          );
        })}
      </div>

      <Card title={t("status.alerts.title")} className="mb-6">
        {firing.length === 0 ? (
          <p className="text-sm text-slate-700" data-testid="alerts-none">{t("status.alerts.none")}</p>
        ) : null}
        {status.alerts.length > 0 ? (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="alerts-table">
              <thead>
                <tr><th className={th}>{t("status.alerts.rule")}</th><th className={th}>{t("status.alerts.state")}</th><th className={th}>{t("status.alerts.value")}</th><th className={th}>{t("status.alerts.threshold")}</th><th className={th}>{t("status.alerts.since")}</th></tr>
              </thead>
              <tbody>
                {status.alerts.map((a) => (
                  <tr key={a.rule} className="border-t border-slate-200">
                    <td className={td}>{ruleName(a.rule)}</td>
                    <td className={td}><Badge tone={a.status === "firing" ? "red" : "green"}>{a.status === "firing" ? t("status.alerts.firing") : t("status.alerts.ok")}</Badge></td>
                    <td className={td}>{n(a.value)}</td>
                    <td className={td}>{n(a.threshold)}</td>
                    <td className={td}>{a.status === "firing" ? time(a.fired_at) : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>

      <Card title={t("status.history.title")} className="mb-6">
        {status.history.length === 0 ? (
          <p className="text-sm text-slate-700">{t("status.history.empty")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="alert-history">
              <thead>
                <tr><th className={th}>{t("status.history.when")}</th><th className={th}>{t("status.alerts.rule")}</th><th className={th}>{t("status.history.event")}</th><th className={th}>{t("status.alerts.value")}</th><th className={th}>{t("status.history.notified")}</th></tr>
              </thead>
              <tbody>
                {status.history.map((e) => (
                  <tr key={e.id} className="border-t border-slate-200">
                    <td className={td}>{time(e.created_at)}</td>
                    <td className={td}>{ruleName(e.rule)}</td>
                    <td className={td}>{t(`status.history.${e.kind}`)}</td>
                    <td className={td}>{n(e.value)}</td>
                    <td className={td}>{e.notified === null ? t("status.history.pending") : e.notified ? t("status.history.yes") : t("status.history.no")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <div className="mb-6 grid gap-3 lg:grid-cols-2">
        <Card title={t("status.backup.title")}>
          {status.last_backup ? (
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="last-backup">
              <dt className="text-slate-700">{t("status.backup.at")}</dt><dd className="text-slate-900">{time(status.last_backup.finished_at)}</dd>
              <dt className="text-slate-700">{t("status.backup.kind")}</dt><dd className="text-slate-900">{t("status.backup.database")} ({status.last_backup.mode})</dd>
              <dt className="text-slate-700">{t("status.backup.target")}</dt><dd className="break-all text-slate-900">{status.last_backup.target}</dd>
            </dl>
          ) : (
            <p className="text-sm text-slate-700" data-testid="last-backup">{t("status.backup.none")}</p>
          )}
        </Card>
        <MailOutboxCard configured={mailConfigured} mail={status.mail} />
      </div>

      <JobSummaryCard summary={status.job_summary} />
      <JobRunsCard runs={status.jobs} />
    </>
  );
}
