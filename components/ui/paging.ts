/**
 * What the page links say and offer. A list may answer an estimated count (`count_exact: false`,
 * docs/api.md): its total and page count are then "about", and a full page offers the next one
 * even past the estimated last page, so rows beyond an estimate that was too low stay reachable.
 */
export function paging({ page, limit, count, exact = true, full = false }: { page: number; limit: number; count: number; exact?: boolean; full?: boolean }): {
  pages: number;
  about: boolean;
  hasNext: boolean;
} {
  const pages = Math.max(1, Math.ceil(count / limit));
  return { pages, about: !exact, hasNext: page < pages || (!exact && full) };
}
