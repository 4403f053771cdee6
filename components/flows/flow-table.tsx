"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { formatDateTime, formatQty } from "@/lib/format";
import { isLocale } from "@/lib/i18n/locales";
import type { FlowKind } from "@/lib/schemas/flows";
import { FlowStatusBadge } from "./flow-status-badge";

/** What the list shows of a flow (mapped on the server, so only this crosses to the browser). */
export type FlowTableRow = {
  id: string;
  number: string;
  kind: FlowKind;
  status: string;
  from: string | null;
  to: string | null;
  customer: string | null;
  partner: string | null;
  lines: number;
  createdBy: string | null;
  createdAt: string;
};

export function FlowTable({ rows, empty }: { rows: FlowTableRow[]; empty: string }) {
  const t = useTranslations("flows");
  const raw = useLocale();
  const locale = isLocale(raw) ? raw : "ko";
  const columns: ColumnDef<FlowTableRow, unknown>[] = [
    {
      id: "number",
      header: t("columns.number"),
      cell: ({ row }) => (
        <Link href={`/flows/${row.original.id}`} className="font-mono font-medium text-brand-700 underline-offset-2 hover:underline">
          {row.original.number}
        </Link>
      ),
    },
    { id: "kind", header: t("columns.kind"), cell: ({ row }) => t(`kinds.${row.original.kind}`) },
    { id: "status", header: t("columns.status"), cell: ({ row }) => <FlowStatusBadge status={row.original.status} /> },
    {
      id: "locations",
      header: t("columns.locations"),
      cell: ({ row }) => {
        const { from, to } = row.original;
        if (from && to) return `${from} → ${to}`;
        return from ?? to ?? "—";
      },
    },
    {
      id: "party",
      header: t("columns.party"),
      cell: ({ row }) => {
        const { customer, partner } = row.original;
        if (customer && partner) return `${customer} · ${partner}`;
        return customer ?? partner ?? "—";
      },
    },
    { id: "lines", header: t("columns.lines"), cell: ({ row }) => formatQty(row.original.lines, locale) },
    {
      id: "created",
      header: t("columns.created"),
      cell: ({ row }) => (
        <span className="flex flex-col">
          <span>{row.original.createdBy ?? "—"}</span>
          <time dateTime={row.original.createdAt} className="text-xs text-slate-700">
            {formatDateTime(row.original.createdAt, locale)}
          </time>
        </span>
      ),
    },
  ];
  return <DataTable columns={columns} data={rows} caption={t("list.caption")} empty={empty} rowTestId={(r) => `flow-row-${r.number}`} />;
}
