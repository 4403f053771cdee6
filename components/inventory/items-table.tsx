import Link from "next/link";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { DataTable, WrapText, type Column } from "@/components/ui/data-table";

/** One row as the server prepared it: names resolved and numbers formatted in the user's locale. */
export type ItemRowView = {
  id: string;
  sku: string;
  name: string;
  engine: string;
  unit: string;
  onHand: string;
  reorderPoint: string;
  low: boolean;
  unitCost: string;
  active: boolean;
};

export function ItemsTable({ rows }: { rows: ItemRowView[] }) {
  const t = useTranslations("inventory");
  const columns: Column<ItemRowView>[] = [
    {
      id: "sku",
      header: t("fields.sku"),
      cell: ({ row }) => (
        <Link href={`/items/${row.original.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
          {row.original.sku}
        </Link>
      ),
    },
    { id: "name", header: t("fields.name"), cell: ({ row }) => <WrapText>{row.original.name}</WrapText> },
    { id: "engine", header: t("fields.engine"), cell: ({ row }) => row.original.engine || "—" },
    { id: "unit", header: t("fields.unit"), cell: ({ row }) => row.original.unit },
    {
      id: "onHand",
      header: () => <span className="block text-right">{t("fields.onHand")}</span>,
      cell: ({ row }) => (
        <span className={`block text-right tabular-nums ${row.original.low ? "font-semibold text-red-800" : ""}`}>
          {row.original.onHand}
          {row.original.low ? (
            <span className="ml-2">
              <Badge tone="red">{t("stock.low")}</Badge>
            </span>
          ) : null}
        </span>
      ),
    },
    { id: "reorderPoint", header: () => <span className="block text-right">{t("fields.reorderPoint")}</span>, cell: ({ row }) => <span className="block text-right tabular-nums">{row.original.reorderPoint}</span> },
    { id: "unitCost", header: () => <span className="block text-right">{t("fields.unitCost")}</span>, cell: ({ row }) => <span className="block text-right tabular-nums">{row.original.unitCost}</span> },
    {
      id: "active",
      header: t("fields.status"),
      cell: ({ row }) => (row.original.active ? <Badge tone="green">{t("status.active")}</Badge> : <Badge tone="gray">{t("status.inactive")}</Badge>),
    },
  ];
  return <DataTable columns={columns} data={rows} caption={t("items.caption")} empty={t("items.empty")} rowTestId={(r) => `item-row-${r.sku}`} />;
}
