// Tables of the app: columns as data, our markup for the look. Sorting, filtering and paging happen
// on the server (in the URL); this renders one page. Plain rendering, usable from server and client
// components alike: no table library, so a table that nothing on the page clicks costs no
// JavaScript (items, stocks, engines, locations render on the server).

/** A column: its header (text or a render function) and how to draw one row's cell. */
export type Column<T> = {
  id: string;
  header: React.ReactNode | (() => React.ReactNode);
  cell: (ctx: { row: { original: T } }) => React.ReactNode;
};

/**
 * A cell whose text may wrap (names, descriptions). The other cells do not wrap, so on a phone the
 * table would squeeze such a column to a few characters a line; it keeps 9 rem (about nine CJK
 * characters) and the table scrolls sideways instead.
 */
export function WrapText({ children }: { children: React.ReactNode }) {
  return <span className="block min-w-36 whitespace-normal">{children}</span>;
}

export function DataTable<T>({ columns, data, caption, empty, rowTestId, rowKey }: {
  columns: Column<T>[];
  data: T[];
  caption: string;
  empty: string;
  rowTestId?: (row: T) => string;
  /** A stable key per row (its id); the row's position otherwise. */
  rowKey?: (row: T) => string;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            {columns.map((c) => (
              <th key={c.id} scope="col" className="whitespace-nowrap px-3 py-2 text-left font-medium text-slate-700">
                {typeof c.header === "function" ? c.header() : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {data.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="px-3 py-8 text-center text-slate-700">
                {empty}
              </td>
            </tr>
          ) : (
            data.map((original, i) => (
              <tr key={rowKey?.(original) ?? i} data-testid={rowTestId?.(original)} className="hover:bg-slate-50">
                {columns.map((c) => (
                  <td key={c.id} className="whitespace-nowrap px-3 py-2 text-slate-900">
                    {c.cell({ row: { original } })}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
