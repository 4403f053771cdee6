import { describe, expect, it } from "vitest";
import { createTranslator } from "next-intl";
import { parseImportFile } from "@/lib/imports/parse";
import { refusalKey, refusalParams } from "@/lib/imports/refusal";
import { xlsxOf } from "../helpers/sheets";
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

  it("a missing sheet is worded with the sheets the file has, so the user can pick one, in every language", async () => {
    const bytes = await xlsxOf((wb) => {
      wb.addWorksheet("표지").addRow(["견적서"]);
      wb.addWorksheet("入库").addRows([["SKU", "Qty"], ["X-1", 1]]);
    });
    const refused = await parseImportFile({ bytes, fileName: "p.xlsx", kind: "inbound", sheet: "Sheet1" }).catch((e: { details: unknown }) => e);
    const details = (refused as { details: unknown }).details;
    expect(refusalKey(details)).toBe("refused.sheet_not_found");
    expect(refusalParams(details)).toEqual({ sheets: "표지, 入库" });
    for (const [locale, messages] of [["ko", ko], ["zh", zh], ["en", en]] as const) {
      const t = createTranslator({ locale, messages: { imports: messages }, namespace: "imports" });
      expect(t("refused.sheet_not_found", refusalParams(details))).toContain("표지, 入库");
    }
    expect(refusalParams({ reason: "encrypted" })).toEqual({});
    expect(refusalParams([{ path: "location_id" }])).toEqual({});
  });

  it("every key it gives has words in Korean, Chinese and English", () => {
    for (const words of [ko, zh, en]) {
      for (const key of ["location_id", "customer_id"]) expect((words.refused as Record<string, string>)[key], key).toMatch(/\S/);
    }
    expect(ko.refused.location_id).not.toBe(en.refused.location_id);
  });
});
