import { describe, expect, it } from "vitest";
import { refusalKey } from "@/lib/imports/refusal";
import en from "@/messages/en/imports.json";
import ko from "@/messages/ko/imports.json";
import zh from "@/messages/zh/imports.json";

// A refused import reaches people as words from the catalogue for a code, never the database's
// English message.

describe("refusalKey", () => {
  it("a refused file's reason, or the target field the database named", () => {
    expect(refusalKey({ reason: "encrypted" })).toBe("refused.encrypted");
    expect(refusalKey([{ path: "location_id", message: "Choose an active warehouse" }])).toBe("refused.location_id");
    expect(refusalKey([{ path: "customer_id", message: "Choose an active customer" }])).toBe("refused.customer_id");
  });

  it("anything else is left to the generic error words", () => {
    expect(refusalKey([{ path: "mapping", message: "x" }])).toBeNull();
    expect(refusalKey({ max: 50000 })).toBeNull();
    expect(refusalKey(undefined)).toBeNull();
    expect(refusalKey("Choose an active warehouse")).toBeNull();
  });

  it("every key it gives has words in Korean, Chinese and English", () => {
    for (const words of [ko, zh, en]) {
      for (const key of ["location_id", "customer_id"]) expect((words.refused as Record<string, string>)[key], key).toMatch(/\S/);
    }
    expect(ko.refused.location_id).not.toBe(en.refused.location_id);
  });
});
