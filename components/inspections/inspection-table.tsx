import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SimpleTable, type SimpleColumn } from "@/components/inventory/simple-table";
import { LiveUnreadCell } from "@/components/messages/live-unread-cell";
import { EmptyState } from "@/components/ui/states";
import type { InspectionListRow } from "@/lib/data/inspections";
import { formatDate } from "@/lib/format";
import type { Locale } from "@/lib/i18n/locales";
import { InspectionStatusBadge } from "./status-badge";

/**
 * Applications as a table, linked to their detail page under `basePath`. Staff see the customer
 * and the inspector; customers see only their own company's rows anyway.
 */
export async function InspectionTable({
  rows,
  basePath,
  locale,
  staff,
  empty,
}: {
  rows: InspectionListRow[];
  basePath: string;
  locale: Locale;
  staff: boolean;
  empty: string;
}) {
  if (rows.length === 0) return <EmptyState message={empty} />;
  const t = await getTranslations("inspections");
  const columns: SimpleColumn[] = [
    { key: "number", header: t("columns.number") },
    ...(staff ? [{ key: "customer", header: t("columns.customer") }] : []),
    { key: "product", header: t("columns.product") },
    { key: "factory", header: t("columns.factory") },
    { key: "type", header: t("columns.type") },
    { key: "requested", header: t("columns.requested") },
    { key: "scheduled", header: t("columns.scheduled") },
    ...(staff ? [{ key: "inspector", header: t("columns.inspector") }] : []),
    { key: "status", header: t("columns.status") },
    { key: "unread", header: t("columns.unread"), align: "right" as const },
  ];
  const none = t("detail.none");
  return (
    <SimpleTable
      caption={t("list.caption")}
      columns={columns}
      testId="inspection-table"
      rows={rows.map((r) => ({
        key: r.id,
        cells: {
          number: (
            <Link href={`${basePath}/${r.id}`} className="font-mono text-brand-700 underline-offset-2 hover:underline" data-testid="inspection-link">
              {r.number}
            </Link>
          ),
          customer: r.customer.name,
          product: r.product,
          factory: r.factory_name,
          type: t(`types.${r.inspection_type}`),
          requested: formatDate(r.requested_date, locale),
          scheduled: r.scheduled_date ? formatDate(r.scheduled_date, locale) : none,
          inspector: r.inspector_name ?? none,
          status: <InspectionStatusBadge status={r.status} />,
          unread: <LiveUnreadCell inspectionId={r.id} initial={r.messages.unread} none={none} />,
        },
      }))}
    />
  );
}
