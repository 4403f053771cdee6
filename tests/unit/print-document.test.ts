import { describe, expect, it } from "vitest";
import { countedQuantities, totalsByUnit, valueTotal } from "@/components/print/document";

// The arithmetic of a printed document: quantity totals per unit, the value total staff see, and
// when an adjustment line counts as a stocktake line (book and counted quantities).

describe("totalsByUnit", () => {
  it("adds quantities per unit, in the order the units first appear", () => {
    expect(
      totalsByUnit([
        { qty: 10, unit: "EA" },
        { qty: 2, unit: "SET" },
        { qty: 5, unit: "EA" },
      ]),
    ).toEqual([
      { unit: "EA", qty: 15 },
      { unit: "SET", qty: 2 },
    ]);
  });

  it("keeps signs (adjustments) and three decimals without float tails", () => {
    expect(totalsByUnit([{ qty: 0.1, unit: "KG" }, { qty: 0.2, unit: "KG" }, { qty: -5, unit: "BOX" }])).toEqual([
      { unit: "KG", qty: 0.3 },
      { unit: "BOX", qty: -5 },
    ]);
    expect(totalsByUnit([])).toEqual([]);
  });
});

describe("valueTotal", () => {
  it("sums line values in whole won", () => {
    expect(valueTotal([{ value: 1000 }, { value: 2500.4 }, { value: -500 }])).toBe(3000);
  });

  it("is null when no line carries a value (a customer's document)", () => {
    expect(valueTotal([{}, {}])).toBeNull();
    expect(valueTotal([])).toBeNull();
  });
});

describe("countedQuantities", () => {
  it("reads book and counted quantities off a line that has both", () => {
    expect(countedQuantities({ qty: -5, expected_qty: 105, counted_qty: 100 })).toEqual({ expected: 105, counted: 100 });
  });

  it("is null for a plain adjustment line, or one with a missing or empty count", () => {
    expect(countedQuantities({ qty: -5 })).toBeNull();
    expect(countedQuantities({ qty: -5, expected_qty: 105 })).toBeNull();
    expect(countedQuantities({ qty: -5, expected_qty: null, counted_qty: 100 })).toBeNull();
    expect(countedQuantities({ qty: -5, expected_qty: "105", counted_qty: "100" })).toBeNull();
  });
});
