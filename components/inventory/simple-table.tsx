// A small read-only table for detail pages (a few rows, no paging): the same look as DataTable,
// rendered on the server because nothing in it is interactive.

import { ScrollBox } from "@/components/ui/scroll-box";

export type SimpleColumn = { key: string; header: string; align?: "left" | "right" };

export function SimpleTable({
  caption,
  columns,
  rows,
  footer,
  testId,
}: {
  caption: string;
  columns: SimpleColumn[];
  rows: { key: string; cells: Record<string, React.ReactNode> }[];
  footer?: Record<string, React.ReactNode>;
  testId?: string;
}) {
  const align = (c: SimpleColumn) => (c.align === "right" ? "text-right tabular-nums" : "text-left");
  return (
    <ScrollBox label={caption} className="rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={`whitespace-nowrap px-3 py-2 font-medium text-slate-700 ${align(c)}`}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.key}>
              {columns.map((c) => (
                <td key={c.key} className={`whitespace-nowrap px-3 py-2 text-slate-900 ${align(c)}`}>
                  {row.cells[c.key]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {footer ? (
          <tfoot className="border-t border-slate-200 bg-slate-50 font-medium">
            <tr>
              {columns.map((c) => (
                <td key={c.key} className={`whitespace-nowrap px-3 py-2 text-slate-900 ${align(c)}`}>
                  {footer[c.key]}
                </td>
              ))}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </ScrollBox>
  );
}
