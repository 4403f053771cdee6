import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { Flow } from "@/lib/data/flows";
import { formatDateTime } from "@/lib/format";
import type { Locale } from "@/lib/i18n/locales";
import type { FlowHistory } from "./flow-history";
import { FlowStatusBadge } from "./flow-status-badge";

type Event = { key: "created" | "submitted" | "approved" | "committed" | "cancelled"; at: string; by: string | null | undefined; extra?: string | null };

/** Who did what when, oldest first, and the flows that reverse this one. */
export async function FlowTimeline({ flow, history, locale }: { flow: Flow; history: FlowHistory; locale: Locale }) {
  const t = await getTranslations("flows.timeline");
  const events: Event[] = [{ key: "created", at: flow.created_at, by: history.created_by_name }];
  if (history.submitted_at) events.push({ key: "submitted", at: history.submitted_at, by: history.submitted_by_name });
  if (history.approved_at) events.push({ key: "approved", at: history.approved_at, by: history.approved_by_name });
  if (history.committed_at) events.push({ key: "committed", at: history.committed_at, by: history.committed_by_name });
  if (history.cancelled_at) events.push({ key: "cancelled", at: history.cancelled_at, by: history.cancelled_by_name, extra: history.cancel_reason });
  const reversals = history.reversed_by ?? [];
  return (
    <div>
      <ol className="relative space-y-4 border-l-2 border-slate-200 pl-5" data-testid="flow-timeline">
        {events.map((e) => (
          <li key={e.key} className="relative">
            <span aria-hidden="true" className="absolute -left-[27px] top-1.5 h-3 w-3 rounded-full border-2 border-white bg-brand-600" />
            <p className="text-sm font-medium text-slate-900">{t(e.key, { name: e.by || t("unknownUser") })}</p>
            <p className="text-xs text-slate-700">
              <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time>
            </p>
            {e.extra ? <p className="mt-1 text-sm text-slate-800">{t("reason", { reason: e.extra })}</p> : null}
          </li>
        ))}
      </ol>
      {reversals.length > 0 ? (
        <div className="mt-4 border-t border-slate-200 pt-3">
          <h3 className="text-sm font-medium text-slate-900">{t("reversedBy")}</h3>
          <ul className="mt-1 space-y-1">
            {reversals.map((r) => (
              <li key={r.id} className="flex items-center gap-2 text-sm">
                <Link href={`/flows/${r.id}`} className="text-brand-700 underline">
                  {r.number}
                </Link>
                <FlowStatusBadge status={r.status} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
