import { describe, expect, it } from "vitest";
import { flowListUrl, toListQuery } from "@/components/flows/list-query";
import { listHref, parseSearchParams, urlParams } from "@/components/toolkit/list-url";
import { itemListQuery } from "@/lib/schemas/inventory";
import { auditListQuery, userListQuery } from "@/lib/schemas/users";

// List state in the URL (components/toolkit/list-url.ts): parsed on the server page with the
// list's zod schema, rebuilt as hrefs for links and forms.

describe("parseSearchParams", () => {
  it("parses the schema's keys, first value of a repeated one, and keeps the accepted raw strings", () => {
    const { query, params } = parseSearchParams(userListQuery, { q: " kim ", role: ["admin", "manager"], page: "2", other: "x" });
    expect(query).toEqual({ q: "kim", role: "admin", page: 2, limit: 20 });
    expect(params).toEqual({ q: " kim ", role: "admin", page: "2" });
  });

  it("drops a bad value (typo, old link, hand-edited page) and keeps the rest", () => {
    const { query, params } = parseSearchParams(userListQuery, { role: "wizard", page: "-3", active: "true", limit: "25" });
    expect(query).toEqual({ active: true, page: 1, limit: 25 });
    expect(params).toEqual({ active: "true", limit: "25" });
  });

  it("treats an empty filter as none", () => {
    const { query, params } = parseSearchParams(itemListQuery, { q: "", active: "  ", page: "" });
    expect(params).toEqual({});
    expect(query).toEqual(itemListQuery.parse({}));
  });

  it("reads only the given keys of a refined schema, and drops the field a refinement names", () => {
    const { query, params } = parseSearchParams(auditListQuery, { from: "2026-12-05", to: "2026-12-01", page: "2", security: "true" }, ["from", "to", "page"]);
    expect(params).toEqual({ from: "2026-12-05", page: "2" });
    expect(query).toMatchObject({ from: "2026-12-05", page: 2 });
    expect(query).not.toHaveProperty("to");
    expect(query).not.toHaveProperty("security");
  });

  it("parses the flow list's URL: kind, status, text, calendar days, page and page size", () => {
    const { query } = parseSearchParams(flowListUrl, { kind: "outbound", status: "approved", q: "  PO-7 ", from: "2026-12-01", to: "2026-13-45", page: "4", limit: "50" });
    expect(query).toEqual({ kind: "outbound", status: "approved", q: "PO-7", from: "2026-12-01", page: 4, limit: 50 });
    const bad = parseSearchParams(flowListUrl, { kind: "theft", page: "1.5", limit: "30" }).query;
    expect(bad).toEqual({ page: 1, limit: 25 });
  });
});

describe("urlParams and listHref", () => {
  it("leaves out empty values and the schema's defaults", () => {
    expect(urlParams(flowListUrl, { kind: "inbound", q: undefined, page: 1, limit: 25 })).toEqual({ kind: "inbound" });
    expect(urlParams(flowListUrl, { status: "draft", page: 3, limit: 100 })).toEqual({ status: "draft", page: "3", limit: "100" });
  });

  it("builds the href with the non-empty parameters, encoded", () => {
    expect(listHref("/items", { q: "bolt & nut", page: "2", active: "", engine: undefined })).toBe("/items?q=bolt+%26+nut&page=2");
    expect(listHref("/stocks", {})).toBe("/stocks");
    expect(listHref("/flows", urlParams(flowListUrl, { kind: "transfer", page: 1 }))).toBe("/flows?kind=transfer");
  });

  it("turns the flow list's calendar days into instants of Korean days (to includes its whole day)", () => {
    const q = toListQuery(flowListUrl.parse({ from: "2026-12-01", to: "2026-12-01" }));
    expect(q.from).toBe("2026-11-30T15:00:00.000Z");
    expect(q.to).toBe("2026-12-01T15:00:00.000Z");
  });
});
