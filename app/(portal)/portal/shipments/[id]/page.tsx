import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SimpleTable } from "@/components/inventory/simple-table";
import { loadMyShipment } from "@/components/inspections/load";
import { ShipmentStatusBadge } from "@/components/portal/shipment-status-badge";
import { PrintLink } from "@/components/print/print-link";
import { Card } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";
import { formatDateTime, formatQty } from "@/lib/format";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const [actor, t, { id }] = await Promise.all([requireActor("portal:access"), getTranslations("portal.shipments"), params]);
  // A missing record: the not-found page, with its title (this read is the page's own, cached).
  await loadMyShipment(actor, id);
  return { title: t("details") };
}

// /portal/shipments/[id] — one of the customer's shipments: goods and progress. Another company's
// id gets the not-found page (the database answers not_found to this customer's session).
// No loading.tsx above this page (the list pages keep theirs in a route group): the answer is
// decided before anything streams, so that not-found page also has the HTTP status 404.
export default async function PortalShipmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor("portal:access");
  const shipment = await loadMyShipment(actor, id);
  const t = await getTranslations("portal.shipments");
  const name = (l: (typeof shipment.lines)[number]) => (actor.locale === "zh" ? l.name_zh : actor.locale === "en" ? l.name_en : null) || l.name_ko;
  const events = (
    [
      ["created", shipment.created_at],
      ["submitted", shipment.submitted_at],
      ["approved", shipment.approved_at],
      ["committed", shipment.committed_at],
      ["cancelled", shipment.cancelled_at],
    ] as const
  ).filter((e): e is readonly [(typeof e)[0], string] => typeof e[1] === "string");
  return (
    <>
      <nav aria-label={t("details")} className="mb-2 text-sm">
        <Link href="/portal/shipments" className="text-brand-700 underline-offset-2 hover:underline">
          {t("back")}
        </Link>
      </nav>
      <div className="mb-6 flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-2xl font-semibold text-slate-900" data-testid="shipment-number">
          {shipment.number}
        </h1>
        <ShipmentStatusBadge status={shipment.status} />
        {shipment.reference ? <span className="text-sm text-slate-700">{shipment.reference}</span> : null}
        <PrintLink href={`/portal/shipments/${shipment.id}/print`} kind="outbound" />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title={t("lines")}>
            <SimpleTable
              caption={t("lines")}
              columns={[
                { key: "sku", header: t("columns.sku") },
                { key: "name", header: t("columns.name") },
                { key: "qty", header: t("columns.qty"), align: "right" },
                { key: "unit", header: t("columns.unit") },
              ]}
              rows={shipment.lines.map((l) => ({
                key: String(l.line_no),
                cells: { sku: <span className="font-mono">{l.sku}</span>, name: name(l), qty: formatQty(l.qty, actor.locale), unit: l.unit },
              }))}
            />
          </Card>
        </div>
        <Card title={t("progress")}>
          <dl className="space-y-3 text-sm">
            {shipment.from_location ? (
              <div>
                <dt className="font-medium text-slate-700">{t("columns.from")}</dt>
                <dd className="text-slate-900">
                  {shipment.from_location.name} ({shipment.from_location.code})
                </dd>
              </div>
            ) : null}
            {events.map(([key, at]) => (
              <div key={key}>
                <dt className="font-medium text-slate-700">{t(`events.${key}`)}</dt>
                <dd className="text-slate-900">
                  <time dateTime={at}>{formatDateTime(at, actor.locale)}</time>
                </dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>
    </>
  );
}
