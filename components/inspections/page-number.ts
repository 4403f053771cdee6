/** `?page=` as a page number from 1 (anything else is page 1). */
export function pageNumber(raw: unknown): number {
  const n = typeof raw === "string" ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
}
