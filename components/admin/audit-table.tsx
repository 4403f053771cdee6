"use client";

import { flexRender, getCoreRowModel, getExpandedRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import { useFormatter, useTranslations } from "next-intl";
import { Fragment } from "react";
import { Badge } from "@/components/ui/badge";
import { diffLines, recordLabel, valueText, type AuditEntry } from "./audit-diff";

export type AuditListRow = AuditEntry & {
  id: number;
  created_at: string;
  actor_id: string | null;
  actor_email: string | null;
  actor_name: string | null;
  table_name: string;
  security_event: boolean;
};

const ACTION_TONE = { insert: "green", update: "blue", delete: "red" } as const;

/**
 * One page of the audit log. Each row opens to show the record before and after, changed
 * fields first and highlighted (TanStack Table's expanded state; a detail row under each row).
 */
export function AuditTable({ rows }: { rows: AuditListRow[] }) {
  const t = useTranslations("admin.audit");
  const format = useFormatter();
  const tableLabel = (name: string) => (t.has(`tables.${name}`) ? t(`tables.${name}`) : name);

  const columns: ColumnDef<AuditListRow, unknown>[] = [
    { id: "time", header: t("columns.time"), cell: ({ row: { original: r } }) => <span className="whitespace-nowrap">{format.dateTime(new Date(r.created_at), "long")}</span> },
    {
      id: "actor",
      header: t("columns.actor"),
      cell: ({ row: { original: r } }) =>
        r.actor_id ? (
          <>
            <div className="font-medium">{r.actor_name || r.actor_email}</div>
            {r.actor_name ? <div className="text-xs text-slate-700">{r.actor_email}</div> : null}
          </>
        ) : (
          <span className="text-slate-700">{t("system")}</span>
        ),
    },
    {
      id: "action",
      header: t("columns.action"),
      cell: ({ row: { original: r } }) => (
        <span className="flex flex-wrap gap-1">
          <Badge tone={ACTION_TONE[r.action]}>{t(`actions.${r.action}`)}</Badge>
          {r.security_event ? <Badge tone="amber">{t("security")}</Badge> : null}
        </span>
      ),
    },
    {
      id: "record",
      header: t("columns.record"),
      cell: ({ row: { original: r } }) => (
        <>
          <div className="text-xs text-slate-700">{tableLabel(r.table_name)}</div>
          <div className="min-w-40 font-medium [overflow-wrap:anywhere]">{recordLabel(r)}</div>
        </>
      ),
    },
    {
      id: "changes",
      header: t("columns.changes"),
      cell: ({ row }) => (
        <button
          type="button"
          aria-expanded={row.getIsExpanded()}
          aria-controls={`audit-${row.id}-changes`}
          onClick={row.getToggleExpandedHandler()}
          className="whitespace-nowrap rounded-md border border-slate-300 px-2 py-1 text-slate-800 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/50"
        >
          {row.getIsExpanded() ? t("hide") : t("show")} · {t("fieldsChanged", { count: row.original.changed.length })}
        </button>
      ),
    },
  ];

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table returns unmemoisable functions; nothing here relies on memoisation
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (r) => String(r.id),
    getRowCanExpand: () => true,
    getCoreRowModel: getCoreRowModel(),
    getExpandedRowModel: getExpandedRowModel(),
  });

  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="bg-slate-50">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className="whitespace-nowrap px-3 py-2 text-left font-medium text-slate-700">
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.getRowModel().rows.map((row) => (
            <Fragment key={row.id}>
              <tr data-testid={`audit-row-${row.id}`} className="align-top hover:bg-slate-50">
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="px-3 py-2 text-slate-900">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
              {row.getIsExpanded() ? (
                <tr id={`audit-${row.id}-changes`}>
                  <td colSpan={columns.length} className="bg-slate-50 px-3 py-3">
                    <AuditChanges entry={row.original} title={t("detailsFor", { record: `${tableLabel(row.original.table_name)} ${recordLabel(row.original)}` })} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AuditChanges({ entry, title }: { entry: AuditEntry; title: string }) {
  const t = useTranslations("admin.audit");
  const lines = diffLines(entry);
  if (lines.length === 0) return <p className="text-sm text-slate-800">{t("noChanges")}</p>;
  const cell = (value: unknown) => {
    const text = valueText(value);
    return text === null ? <span className="italic text-slate-700">{t("emptyValue")}</span> : <span className="whitespace-pre-wrap break-all font-mono text-xs">{text}</span>;
  };
  return (
    <table className="w-full table-fixed text-sm">
      <caption className="mb-2 text-left font-medium text-slate-900">{title}</caption>
      <thead>
        <tr>
          <th scope="col" className="w-1/4 px-2 py-1 text-left font-medium text-slate-700">
            {t("field")}
          </th>
          {entry.action !== "insert" ? (
            <th scope="col" className="px-2 py-1 text-left font-medium text-slate-700">
              {t("before")}
            </th>
          ) : null}
          {entry.action !== "delete" ? (
            <th scope="col" className="px-2 py-1 text-left font-medium text-slate-700">
              {t("after")}
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.field} data-changed={l.changed || undefined} className={l.changed && entry.action === "update" ? "bg-amber-50" : undefined}>
            <th scope="row" className="break-all px-2 py-1 text-left align-top font-mono text-xs font-medium text-slate-900">
              {l.field}
              {l.changed && entry.action === "update" ? (
                <span className="ml-2 rounded bg-amber-200 px-1 font-sans text-[11px] text-amber-950">{t("changedField")}</span>
              ) : null}
            </th>
            {entry.action !== "insert" ? (
              <td className={`px-2 py-1 align-top text-slate-900 ${l.changed && entry.action === "update" ? "line-through decoration-red-700/60" : ""}`}>{cell(l.before)}</td>
            ) : null}
            {entry.action !== "delete" ? <td className={`px-2 py-1 align-top text-slate-900 ${l.changed && entry.action === "update" ? "font-semibold" : ""}`}>{cell(l.after)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
