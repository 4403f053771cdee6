import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { FlowStatusBadge } from "@/components/flows/flow-status-badge";
import { InspectionTable } from "@/components/inspections/inspection-table";
import { loadCustomer } from "@/components/inspections/load";
import { SimpleTable } from "@/components/inventory/simple-table";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { requireActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listFlows } from "@/lib/data/flows";
import { listInspections } from "@/lib/data/inspections";
import { formatDate } from "@/lib/format";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const [actor, t, { id }] = await Promise.all([requireActor("customers:read"), getTranslations("inspections.customers"), params]);
  // A missing record: the not-found page, with its title (this read is the page's own, cached).
  await loadCustomer(actor, id);
  return { title: t("company") };
}

// /customers/[id] — staff: one company, its users, its latest inspections and shipments
export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor("customers:read");
  const customer = await loadCustomer(actor, id);
  const t = await getTranslations("inspections.customers");
  const tc = await getTranslations("common");
  const [inspections, shipments] = await Promise.all([
    can(actor.role, "records:read") ? listInspections(actor.caller, { customer_id: id, page: 1, limit: 10 }) : null,
    can(actor.role, "records:read") ? listFlows(actor.caller, { kind: "outbound", customer_id: id, page: 1, limit: 10 }) : null,
  ]);
  const none = "—";
  const facts: [string, string][] = [
    [t("columns.code"), customer.code],
    [t("fields.businessNumber"), customer.business_number ?? none],
    [t("fields.contact"), customer.contact_name ?? none],
    [t("columns.email"), customer.email ?? none],
    [t("columns.phone"), customer.phone ?? none],
    [t("fields.address"), customer.address ?? none],
  ];
  const stats: [string, number][] = [
    [t("stats.inspections"), customer.stats.inspections],
    [t("stats.open"), customer.stats.open_inspections],
    [t("stats.shipments"), customer.stats.shipments],
    [t("stats.items"), customer.stats.items],
  ];
  return (
    <>
      <nav aria-label={t("company")} className="mb-2 text-sm">
        <Link href="/customers" className="text-brand-700 underline-offset-2 hover:underline">
          {t("back")}
        </Link>
      </nav>
      <div className="mb-6 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold text-slate-900" data-testid="customer-name">
          {customer.name}
        </h1>
        {customer.active ? <Badge tone="green">{tc("states.active")}</Badge> : <Badge>{tc("states.inactive")}</Badge>}
      </div>
      <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
        {stats.map(([label, value]) => (
          <div key={label} className="rounded-lg border border-slate-200 bg-white p-3">
            <dt className="text-xs text-slate-700">{label}</dt>
            <dd className="text-2xl font-semibold text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={t("company")}>
          <dl className="space-y-3 text-sm">
            {facts.map(([label, value]) => (
              <div key={label}>
                <dt className="font-medium text-slate-700">{label}</dt>
                <dd className="break-words text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title={t("users")}>
            {customer.users.length === 0 ? (
              <EmptyState message={t("noUsers")} />
            ) : (
              <SimpleTable
                caption={t("users")}
                columns={[
                  { key: "name", header: t("columns.displayName") },
                  { key: "email", header: t("columns.email") },
                  { key: "language", header: t("columns.language") },
                  { key: "status", header: t("columns.status") },
                ]}
                rows={customer.users.map((u) => ({
                  key: u.id,
                  cells: {
                    name: u.display_name,
                    email: u.email,
                    language: tc(`languages.${u.locale}`),
                    status: u.active ? <Badge tone="green">{tc("states.active")}</Badge> : <Badge>{tc("states.inactive")}</Badge>,
                  },
                }))}
              />
            )}
          </Card>
          {inspections ? (
            <Card
              title={t("inspections")}
              actions={
                <Link href={`/inspections?status=all&customer_id=${customer.id}`} className="text-sm text-brand-700 underline-offset-2 hover:underline">
                  {t("allInspections")}
                </Link>
              }
            >
              <InspectionTable rows={inspections.data} basePath="/inspections" locale={actor.locale} staff={false} empty={t("noInspections")} />
            </Card>
          ) : null}
          {shipments ? (
            <Card title={t("shipments")}>
              {shipments.data.length === 0 ? (
                <EmptyState message={t("noShipments")} />
              ) : (
                <SimpleTable
                  caption={t("shipments")}
                  columns={[
                    { key: "number", header: t("columns.number") },
                    { key: "status", header: t("columns.status") },
                    { key: "lines", header: t("columns.lines"), align: "right" },
                    { key: "date", header: t("columns.date") },
                  ]}
                  rows={shipments.data.map((f) => ({
                    key: f.id,
                    cells: {
                      number: (
                        <Link href={`/flows/${f.id}`} className="font-mono text-brand-700 underline-offset-2 hover:underline">
                          {f.number}
                        </Link>
                      ),
                      status: <FlowStatusBadge status={f.status} />,
                      lines: f.line_count,
                      date: formatDate(f.created_at, actor.locale),
                    },
                  }))}
                />
              )}
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
