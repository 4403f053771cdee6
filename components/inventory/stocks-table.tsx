import Link from "next/link";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { DataTable, WrapText, type Column } from "@/components/ui/data-table";

/** A stock row as the server prepared it (one item at one location, or one low item in total). */
export type StockRowView = {
  key: string;
  itemId: string;
  sku: string;
  name: string;
  unit: string;
  location: string;
  onHand: string;
  itemTotal: string;
  reorderPoint: string;
  shortage: string;
  low: boolean;
};

const right = (text: string) => <span className="block text-right tabular-nums">{text}</span>;

export function StocksTable({ rows, mode }: { rows: StockRowView[]; mode: "all" | "low" }) {
  const t = useTranslations("inventory");
  const sku: Column<StockRowView> = {
    id: "sku",
    header: t("fields.sku"),
    cell: ({ row }) => (
      <Link href={`/items/${row.original.itemId}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
        {row.original.sku}
      </Link>
    ),
  };
  const name: Column<StockRowView> = { id: "name", header: t("fields.name"), cell: ({ row }) => <WrapText>{row.original.name}</WrapText> };
  const unit: Column<StockRowView> = { id: "unit", header: t("fields.unit"), cell: ({ row }) => row.original.unit };
  const reorder: Column<StockRowView> = { id: "reorder", header: () => right(t("fields.reorderPoint")), cell: ({ row }) => right(row.original.reorderPoint) };

  const columns: Column<StockRowView>[] =
    mode === "low"
      ? [
          sku,
          name,
          unit,
          { id: "total", header: () => right(t("stock.totalOnHand")), cell: ({ row }) => right(row.original.itemTotal) },
          reorder,
          {
            id: "shortage",
            header: () => right(t("stock.shortage")),
            cell: ({ row }) => <span className="block text-right font-semibold tabular-nums text-red-800">{row.original.shortage}</span>,
          },
          { id: "location", header: t("stock.byLocation"), cell: ({ row }) => <WrapText>{row.original.location || "—"}</WrapText> },
        ]
      : [
          sku,
          name,
          { id: "location", header: t("fields.location"), cell: ({ row }) => row.original.location },
          { id: "onHand", header: () => right(t("fields.onHand")), cell: ({ row }) => right(row.original.onHand) },
          unit,
          { id: "total", header: () => right(t("stock.totalOnHand")), cell: ({ row }) => right(row.original.itemTotal) },
          reorder,
          {
            id: "low",
            header: t("fields.status"),
            cell: ({ row }) => (row.original.low ? <Badge tone="red">{t("stock.low")}</Badge> : <Badge tone="green">{t("stock.ok")}</Badge>),
          },
        ];
  return (
    <DataTable
      columns={columns}
      data={rows}
      caption={mode === "low" ? t("stocks.lowCaption") : t("stocks.caption")}
      empty={t("stocks.empty")}
      rowTestId={(r) => `stock-row-${r.key}`}
    />
  );
}
