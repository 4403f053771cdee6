import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { allowedActions } from "@/components/flows/allowed-actions";
import { FlowActions } from "@/components/flows/flow-actions";
import { FlowHeader } from "@/components/flows/flow-header";
import { flowHistory } from "@/components/flows/flow-history";
import { FlowLineTable } from "@/components/flows/flow-line-table";
import { FlowStatusBadge } from "@/components/flows/flow-status-badge";
import { FlowTimeline } from "@/components/flows/flow-timeline";
import { loadFlow } from "@/components/flows/load-flow";
import { ShortfallNotice } from "@/components/flows/shortfall-notice";
import { PrintLink } from "@/components/print/print-link";
import { Card } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";
import { getFlow } from "@/lib/data/flows";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const [actor, t, { id }] = await Promise.all([requireActor("records:read"), getTranslations("flows"), params]);
  // A missing record: the not-found page, with its title (this read is the page's own, cached).
  await loadFlow(actor, id);
  return { title: t("detail.title") };
}

// /flows/[id] — one flow: header, lines, who did what when, and what the viewer may do next
export default async function FlowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor("records:read");
  const flow = await loadFlow(actor, id);
  const history = flowHistory(flow);
  const t = await getTranslations("flows");
  // The flow this one reverses, for a link by number (null if it cannot be read).
  const original = flow.reversal_of ? await getFlow(actor.caller, flow.reversal_of).catch(() => null) : null;
  const allowed = allowedActions(
    {
      status: flow.status,
      created_by: flow.created_by,
      hasActiveReversal: (history.reversed_by ?? []).some((r) => r.status !== "cancelled"),
    },
    actor,
  );
  return (
    <>
      <nav aria-label={t("detail.breadcrumb")} className="mb-2 text-sm">
        <Link href="/flows" className="text-brand-700 underline-offset-2 hover:underline">
          {t("detail.back")}
        </Link>
      </nav>
      <div className="mb-6 flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-2xl font-semibold text-slate-900">{flow.number}</h1>
        <FlowStatusBadge status={flow.status} />
        <span className="text-sm text-slate-700">{t(`kinds.${flow.kind}`)}</span>
        <PrintLink href={`/flows/${flow.id}/print`} kind={flow.kind} />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <ShortfallNotice shortfalls={flow.shortfalls} units={Object.fromEntries(flow.lines.map((l) => [l.item_id, l.unit]))} locale={actor.locale} />
          <Card title={t("detail.actions")}>
            <FlowActions flowId={flow.id} status={flow.status} allowed={allowed} />
          </Card>
          <Card title={t("detail.details")}>
            <FlowHeader flow={flow} original={original ? { id: original.id, number: original.number } : null} />
          </Card>
          <Card title={t("detail.lines")}>
            <FlowLineTable flow={flow} locale={actor.locale} />
          </Card>
        </div>
        <Card title={t("detail.timeline")}>
          <FlowTimeline flow={flow} history={history} locale={actor.locale} />
        </Card>
      </div>
    </>
  );
}
