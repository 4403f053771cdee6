import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SimpleTable } from "@/components/inventory/simple-table";
import { EmptyState } from "@/components/ui/states";
import type { Shipment } from "@/lib/data/portal";
import { formatDate } from "@/lib/format";
import type { Locale } from "@/lib/i18n/locales";
import { ShipmentStatusBadge } from "./shipment-status-badge";

/** The customer's shipments, each linked to its detail page. */
export async function ShipmentTable({ rows, locale }: { rows: Shipment[]; locale: Locale }) {
  const t = await getTranslations("portal.shipments");
  if (rows.length === 0) return <EmptyState message={t("empty")} />;
  return (
    <SimpleTable
      caption={t("caption")}
      testId="shipment-table"
      columns={[
        { key: "number", header: t("columns.number") },
        { key: "status", header: t("columns.status") },
        { key: "reference", header: t("columns.reference") },
        { key: "from", header: t("columns.from") },
        { key: "lines", header: t("columns.lines"), align: "right" },
        { key: "date", header: t("columns.date") },
      ]}
      rows={rows.map((s) => ({
        key: s.id,
        cells: {
          number: (
            <Link href={`/portal/shipments/${s.id}`} className="font-mono text-brand-700 underline-offset-2 hover:underline" data-testid="shipment-link">
              {s.number}
            </Link>
          ),
          status: <ShipmentStatusBadge status={s.status} />,
          reference: s.reference ?? "—",
          from: s.from_location ? `${s.from_location.name} (${s.from_location.code})` : "—",
          lines: s.lines.length,
          date: formatDate(s.committed_at ?? s.submitted_at ?? s.created_at, locale),
        },
      }))}
    />
  );
}
