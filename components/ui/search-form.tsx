import { getTranslations } from "next-intl/server";

/**
 * A plain GET search box (works before and without JavaScript); `hidden` keeps the other filters
 * of the URL when searching.
 */
export async function SearchForm({ id, label, q, hidden = {} }: { id: string; label: string; q?: string; hidden?: Record<string, string | undefined> }) {
  const tc = await getTranslations("common");
  return (
    <form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-2">
      {Object.entries(hidden).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <div>
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        <input id={id} name="q" defaultValue={q ?? ""} maxLength={100} className="mt-1 rounded-md border border-slate-400 px-3 py-1.5 text-sm" />
      </div>
      <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100">
        {tc("actions.search")}
      </button>
    </form>
  );
}
