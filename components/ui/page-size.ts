// How many rows a list page shows: one of a few choices, kept in the URL as ?limit=. Anything
// else in the URL (a typo, an old link) falls back to the page's default.

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

export function pageSizeOf(raw: unknown, fallback: number = DEFAULT_PAGE_SIZE): number {
  const value = Array.isArray(raw) ? raw[0] : raw;
  const n = typeof value === "string" ? Number(value) : typeof value === "number" ? value : NaN;
  return (PAGE_SIZES as readonly number[]).includes(n) ? n : fallback;
}
