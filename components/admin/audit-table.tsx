import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import type { AuditView } from "@/lib/audit/describe";

// Colours by what kind of thing happened: creations green, removals and refusals red, workflow
// steps blue, everything else neutral.
const TONE: Partial<Record<AuditView["event"], "green" | "blue" | "red" | "amber">> = {
  created: "green",
  applied: "green",
  file_uploaded: "green",
  line_added: "green",
  deleted: "red",
  line_removed: "red",
  file_deleted: "red",
  cancelled: "red",
  deactivated: "red",
  sign_in_failed: "red",
  submitted: "blue",
  approved: "blue",
  committed: "blue",
  scheduled: "blue",
  started: "blue",
  report_ready: "blue",
  completed: "blue",
  imported: "blue",
  role_changed: "amber",
  password_changed: "amber",
  password_set_by_admin: "amber",
  password_reset_sent: "amber",
};

/**
 * One page of the audit log in words: when (Seoul time), who, what, which record (a link to it),
 * and a disclosure with the changed fields, before and after, under their names.
 */
export async function AuditTable({ rows }: { rows: AuditView[] }) {
  const t = await getTranslations("admin.audit");
  const a = await getTranslations("audit");
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="bg-slate-50">
          <tr>
            {(["time", "actor", "event", "record", "changes"] as const).map((c) => (
              <th key={c} scope="col" className="whitespace-nowrap px-3 py-2 text-left font-medium text-slate-700">
                {a(`columns.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id} data-testid={`audit-row-${r.id}`} data-event={r.event} className="align-top hover:bg-slate-50">
              <td className="px-3 py-2 text-slate-900">
                <time dateTime={r.at} className="whitespace-nowrap">
                  {r.time}
                </time>
              </td>
              <td className="px-3 py-2 text-slate-900">
                <div className="font-medium">{r.actor}</div>
                {r.actorEmail ? <div className="text-xs text-slate-700">{r.actorEmail}</div> : null}
              </td>
              <td className="px-3 py-2">
                <span className="flex flex-wrap gap-1">
                  <Badge tone={TONE[r.event] ?? "gray"}>{r.eventText}</Badge>
                  {r.security ? <Badge tone="amber">{t("security")}</Badge> : null}
                </span>
              </td>
              <td className="px-3 py-2 text-slate-900">
                <div className="text-xs text-slate-700">{r.recordType}</div>
                <div className="min-w-40 font-medium [overflow-wrap:anywhere]">
                  {r.href ? (
                    <Link href={r.href} className="text-brand-700 underline-offset-2 hover:underline">
                      {r.record}
                    </Link>
                  ) : (
                    r.record
                  )}
                </div>
              </td>
              <td className="px-3 py-2 text-slate-900">
                {r.changes.length === 0 ? (
                  <span className="text-slate-700">{a("noFieldChanges")}</span>
                ) : (
                  <details>
                    <summary className="cursor-pointer whitespace-nowrap rounded-md px-1 text-slate-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/50">
                      {a("changeCount", { count: r.changes.length })}
                    </summary>
                    <table className="mt-2 w-full min-w-72 table-fixed text-sm">
                      <caption className="sr-only">{t("detailsFor", { record: `${r.recordType} ${r.record}` })}</caption>
                      <thead>
                        <tr>
                          <th scope="col" className="w-1/3 px-2 py-1 text-left font-medium text-slate-700">
                            {t("field")}
                          </th>
                          <th scope="col" className="px-2 py-1 text-left font-medium text-slate-700">
                            {t("before")}
                          </th>
                          <th scope="col" className="px-2 py-1 text-left font-medium text-slate-700">
                            {t("after")}
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {r.changes.map((c) => (
                          <tr key={c.field} data-field={c.field}>
                            <th scope="row" className="px-2 py-1 text-left align-top font-medium text-slate-900">
                              {c.label}
                            </th>
                            <td className="whitespace-pre-wrap px-2 py-1 align-top text-slate-800 [overflow-wrap:anywhere]">
                              {c.before ?? <span className="italic text-slate-700">{t("emptyValue")}</span>}
                            </td>
                            <td className="whitespace-pre-wrap px-2 py-1 align-top font-semibold text-slate-900 [overflow-wrap:anywhere]">
                              {c.after ?? <span className="font-normal italic text-slate-700">{t("emptyValue")}</span>}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
