"use client";

import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { DataTable, type Column } from "@/components/ui/data-table";
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
  /** Lines of an open flow that lack stock in their warehouse now. */
  shortLines: number;
  createdBy: string | null;
  createdAt: string;
};

/** Rows picked for a bulk action (the list page's selection). */
export type FlowSelection = { selected: ReadonlySet<string>; toggle: (id: string) => void; toggleAll: (on: boolean) => void };

/** "Customer · partner", once when the partner only repeats the customer's name. */
export function partyText(customer: string | null, partner: string | null): string {
  const c = customer?.trim() || null;
  const p = partner?.trim() || null;
  if (c && p && c.toLocaleLowerCase() !== p.toLocaleLowerCase()) return `${c} · ${p}`;
  return c ?? p ?? "—";
}

export function FlowTable({ rows, empty, selection }: { rows: FlowTableRow[]; empty: string; selection?: FlowSelection }) {
  const t = useTranslations("flows");
  const raw = useLocale();
  const locale = isLocale(raw) ? raw : "ko";
  const columns: Column<FlowTableRow>[] = [
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
    {
      id: "status",
      header: t("columns.status"),
      cell: ({ row }) => (
        <span className="flex flex-wrap items-center gap-1">
          <FlowStatusBadge status={row.original.status} />
          {row.original.shortLines > 0 ? (
            <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-950" data-testid="row-shortfall">
              {t("stock.badge", { count: row.original.shortLines })}
            </span>
          ) : null}
        </span>
      ),
    },
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
      cell: ({ row }) => partyText(row.original.customer, row.original.partner),
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
  if (selection) {
    const all = rows.length > 0 && rows.every((r) => selection.selected.has(r.id));
    columns.unshift({
      id: "select",
      header: () => (
        <input
          type="checkbox"
          aria-label={t("bulk.selectAll")}
          checked={all}
          onChange={(e) => selection.toggleAll(e.target.checked)}
          className="h-4 w-4"
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={t("bulk.select", { number: row.original.number })}
          checked={selection.selected.has(row.original.id)}
          onChange={() => selection.toggle(row.original.id)}
          className="h-4 w-4"
          data-testid={`select-${row.original.number}`}
        />
      ),
    });
  }
  return <DataTable columns={columns} data={rows} caption={t("list.caption")} empty={empty} rowTestId={(r) => `flow-row-${r.number}`} />;
}
