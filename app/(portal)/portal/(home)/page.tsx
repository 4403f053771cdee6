import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Widget } from "@/components/dashboard/widget";
import { InspectionStatusBadge } from "@/components/inspections/status-badge";
import { LiveUnread } from "@/components/messages/live-unread";
import { ShipmentStatusBadge } from "@/components/portal/shipment-status-badge";
import { LinkButton } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";
import type { Actor } from "@/lib/auth";
import { listInspections } from "@/lib/data/inspections";
import { getUnreadCounts } from "@/lib/data/messages";
import { listMyShipments } from "@/lib/data/portal";
import { formatDate } from "@/lib/format";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("portal");
  return { title: t("title") };
}

const linkClass = "text-brand-700 underline-offset-2 hover:underline";

async function OpenInspections({ actor }: { actor: Actor }) {
  const t = await getTranslations("portal.home");
  const result = await listInspections(actor.caller, { open: true, page: 1, limit: 5 });
  if (result.data.length === 0) return <p className="text-sm text-slate-700">{t("noOpen")}</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm" data-testid="portal-open-inspections">
      {result.data.map((i) => (
        <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
          <Link href={`/portal/inspections/${i.id}`} className={linkClass}>
            <span className="font-mono">{i.number}</span> · {i.product}
          </Link>
          <InspectionStatusBadge status={i.status} />
        </li>
      ))}
    </ul>
  );
}

async function RecentShipments({ actor }: { actor: Actor }) {
  const t = await getTranslations("portal.home");
  const result = await listMyShipments(actor.caller, { page: 1, limit: 5 });
  if (result.data.length === 0) return <p className="text-sm text-slate-700">{t("noShipments")}</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm" data-testid="portal-recent-shipments">
      {result.data.map((s) => (
        <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
          <Link href={`/portal/shipments/${s.id}`} className={linkClass}>
            <span className="font-mono">{s.number}</span> · {formatDate(s.committed_at ?? s.created_at, actor.locale)}
          </Link>
          <ShipmentStatusBadge status={s.status} />
        </li>
      ))}
    </ul>
  );
}

async function Unread({ actor }: { actor: Actor }) {
  // Rendered with the page, then kept live by the unread stream.
  return <LiveUnread initial={await getUnreadCounts(actor.caller)} />;
}

// /portal — the customer's landing page: open inspections, recent shipments, unread messages
export default async function PortalPage() {
  const actor = await requireActor("portal:access");
  const t = await getTranslations("portal.home");
  return (
    <>
      <PageHeader
        title={t("welcome", { name: actor.displayName || actor.email })}
        description={t("description")}
        actions={
          <LinkButton href="/portal/inspections/new" variant="primary">
            {t("newApplication")}
          </LinkButton>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Widget title={t("openInspections")} height={160} className="lg:col-span-2">
          {OpenInspections({ actor })}
        </Widget>
        <Widget title={t("unread")} height={120}>
          {Unread({ actor })}
        </Widget>
        <Widget title={t("recentShipments")} height={160} className="lg:col-span-3">
          {RecentShipments({ actor })}
        </Widget>
      </div>
    </>
  );
}
