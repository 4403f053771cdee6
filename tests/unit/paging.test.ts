import { describe, expect, it } from "vitest";
import { paging } from "@/components/ui/paging";

// The page links of a list whose count may be an estimate (count_exact false: items with a
// filter, stock and the audit log beyond 1,000 rows).

describe("paging", () => {
  it("an exact count: its pages, and a next page only before the last", () => {
    expect(paging({ page: 1, limit: 20, count: 45 })).toEqual({ pages: 3, about: false, hasNext: true });
    expect(paging({ page: 3, limit: 20, count: 45, full: true })).toEqual({ pages: 3, about: false, hasNext: false });
    expect(paging({ page: 1, limit: 20, count: 0 })).toEqual({ pages: 1, about: false, hasNext: false });
  });

  it("an estimate: 'about', and a full page offers the next one even past the estimated last page", () => {
    expect(paging({ page: 2, limit: 20, count: 1001, exact: false })).toEqual({ pages: 51, about: true, hasNext: true });
    expect(paging({ page: 51, limit: 20, count: 1001, exact: false, full: true })).toEqual({ pages: 51, about: true, hasNext: true });
    // The last rows came in a page that is not full: nothing after it.
    expect(paging({ page: 52, limit: 20, count: 1001, exact: false, full: false })).toEqual({ pages: 51, about: true, hasNext: false });
  });
});
