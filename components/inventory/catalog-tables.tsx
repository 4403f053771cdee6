import Link from "next/link";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { DataTable, WrapText, type Column } from "@/components/ui/data-table";

// The engine and warehouse lists. Rows arrive with names already in the user's language.

export type EngineRowView = { id: string; code: string; name: string; description: string; active: boolean };
export type LocationRowView = { id: string; code: string; name: string; country: string; active: boolean };

function StatusBadge({ active }: { active: boolean }) {
  const t = useTranslations("inventory");
  return active ? <Badge tone="green">{t("status.active")}</Badge> : <Badge tone="gray">{t("status.inactive")}</Badge>;
}

function codeLink(href: string, code: string, canEdit: boolean) {
  return canEdit ? (
    <Link href={href} className="font-medium text-brand-700 underline-offset-2 hover:underline">
      {code}
    </Link>
  ) : (
    <span className="font-medium">{code}</span>
  );
}

export function EnginesTable({ rows, canEdit }: { rows: EngineRowView[]; canEdit: boolean }) {
  const t = useTranslations("inventory");
  const columns: Column<EngineRowView>[] = [
    { id: "code", header: t("fields.code"), cell: ({ row }) => codeLink(`/engines/${row.original.id}`, row.original.code, canEdit) },
    { id: "name", header: t("fields.displayName"), cell: ({ row }) => row.original.name },
    { id: "description", header: t("fields.description"), cell: ({ row }) => <WrapText>{row.original.description || "—"}</WrapText> },
    { id: "active", header: t("fields.status"), cell: ({ row }) => <StatusBadge active={row.original.active} /> },
  ];
  return <DataTable columns={columns} data={rows} caption={t("engines.caption")} empty={t("engines.empty")} rowTestId={(r) => `engine-row-${r.code}`} />;
}

export function LocationsTable({ rows, canEdit }: { rows: LocationRowView[]; canEdit: boolean }) {
  const t = useTranslations("inventory");
  const columns: Column<LocationRowView>[] = [
    { id: "code", header: t("fields.code"), cell: ({ row }) => codeLink(`/locations/${row.original.id}`, row.original.code, canEdit) },
    { id: "name", header: t("fields.locationName"), cell: ({ row }) => row.original.name },
    { id: "country", header: t("fields.country"), cell: ({ row }) => t(`countries.${row.original.country}`) },
    { id: "active", header: t("fields.status"), cell: ({ row }) => <StatusBadge active={row.original.active} /> },
  ];
  return <DataTable columns={columns} data={rows} caption={t("locations.caption")} empty={t("locations.empty")} rowTestId={(r) => `location-row-${r.code}`} />;
}
