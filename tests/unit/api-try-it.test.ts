import { describe, expect, it } from "vitest";
import { tryItUrl } from "@/components/api-docs/try-it";

// The API reference's "Try it" builds the request URL from what the reader typed.
describe("Try it: the request URL", () => {
  const params = [
    { name: "id", in: "path" as const, required: true, place: "path" },
    { name: "q", in: "query" as const, required: false, place: "query" },
    { name: "page", in: "query" as const, required: false, place: "query" },
  ];

  it("fills path parameters (encoded) and keeps only the query parameters given", () => {
    expect(tryItUrl("/api/v1/items/{id}", params, { id: " a/b ", q: "패널 &", page: "" })).toEqual({ url: "/api/v1/items/a%2Fb?q=%ED%8C%A8%EB%84%90+%26" });
    expect(tryItUrl("/api/v1/items", params.slice(1), {})).toEqual({ url: "/api/v1/items" });
  });

  it("names a missing path parameter instead of sending a request to a wrong address", () => {
    expect(tryItUrl("/api/v1/items/{id}", params, { q: "x" })).toEqual({ missing: "id" });
    expect(tryItUrl("/api/v1/items/{id}", params, { id: "   " })).toEqual({ missing: "id" });
  });
});
