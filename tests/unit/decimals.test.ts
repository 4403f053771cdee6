import { describe, expect, it } from "vitest";
import { decimalPlaces } from "@/lib/schemas/common";
import { flowCreateSchema } from "@/lib/schemas/flows";
import { itemCreateSchema } from "@/lib/schemas/inventory";

// What a numeric(14,3) or numeric(14,2) column keeps, judged from the number as written.

describe("decimalPlaces", () => {
  it.each([
    [1, 0],
    [1.001, 3],
    [1.15, 2],
    [1.0005, 4],
    [0.1, 1],
    [123456.789, 3],
    [1e-7, 7],
    [1.5e-5, 6],
    [1e21, 0],
    [-2.25, 2],
  ])("%d has %d", (v, n) => expect(decimalPlaces(v)).toBe(n));
});

describe("schemas refuse what the column would round, and accept what it keeps", () => {
  const item = (extra: Record<string, unknown>) => itemCreateSchema.safeParse({ sku: "A-1", name_ko: "가", ...extra }).success;
  const lines = (qty: number) => flowCreateSchema("inbound").safeParse({ location_id: "00000000-0000-4000-8000-000000000001", lines: [{ item_id: "00000000-0000-4000-8000-000000000002", qty }] }).success;

  it("reorder_point keeps 3 decimals", () => {
    expect(item({ reorder_point: 1.001 })).toBe(true);
    expect(item({ reorder_point: 1.0005 })).toBe(false);
  });

  it("unit_cost keeps 2 decimals (1.15 included, which 1.15 * 100 misjudges)", () => {
    expect(item({ unit_cost: 1.15 })).toBe(true);
    expect(item({ unit_cost: 1.005 })).toBe(false);
  });

  it("line quantities keep 3 decimals (1.001 included, which 1.001 * 1000 misjudges)", () => {
    expect(lines(1.001)).toBe(true);
    expect(lines(1.0005)).toBe(false);
  });

  it("a new flow needs a line", () => {
    const res = flowCreateSchema("inbound").safeParse({ location_id: "00000000-0000-4000-8000-000000000001", lines: [] });
    expect(res.success).toBe(false);
    expect(res.error?.issues[0].message).toBe("At least one line");
  });
});
