import { describe, expect, it } from "vitest";
import { createTranslator } from "next-intl";
import { columnLetter } from "@/lib/export/xlsx";
import { MAX_CELL_CHARS, parseImportFile } from "@/lib/imports/parse";
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

  it("a cell longer than Excel allows is named by sheet, row and column (a CSV file's by row and column), in every language", async () => {
    const long = "가".repeat(MAX_CELL_CHARS + 1);
    const bytes = await xlsxOf((wb) => {
      wb.addWorksheet("표지").addRow(["x".repeat(MAX_CELL_CHARS + 5)]);
      wb.addWorksheet("品目").addRows([["SKU", "Name (Korean)", "Name (English)"], ["X-1", "가".repeat(MAX_CELL_CHARS), "ok"], ["X-2", "나", long]]);
    });
    const refused = (await parseImportFile({ bytes, fileName: "p.xlsx", kind: "items", sheet: "品目" }).catch((e: unknown) => e)) as { code: string; details: unknown };
    expect(refused.code).toBe("validation_failed");
    expect(refused.details).toEqual({ reason: "cell_too_long", sheet: "品目", row: 3, column: "C", max: MAX_CELL_CHARS });
    expect(refusalKey(refused.details)).toBe("refused.cell_too_long");
    expect(refusalParams(refused.details)).toEqual({ sheet: "品目", row: "3", column: "C" });

    const csv = new TextEncoder().encode(`SKU,Name (Korean)\nX-1,${long}\n`);
    const refusedCsv = (await parseImportFile({ bytes: csv, fileName: "p.csv", kind: "items" }).catch((e: unknown) => e)) as { details: unknown };
    expect(refusedCsv.details).toEqual({ reason: "cell_too_long", sheet: null, row: 2, column: "B", max: MAX_CELL_CHARS });
    expect(refusalKey(refusedCsv.details)).toBe("refused.cell_too_long_csv");

    for (const [locale, messages] of [["ko", ko], ["zh", zh], ["en", en]] as const) {
      const t = createTranslator({ locale, messages: { imports: messages }, namespace: "imports" });
      const words = t("refused.cell_too_long", refusalParams(refused.details));
      for (const part of ["品目", "3", "C", "32,767"]) expect(words, locale).toContain(part);
      const csvWords = t("refused.cell_too_long_csv", refusalParams(refusedCsv.details));
      for (const part of ["2", "B", "32,767"]) expect(csvWords, locale).toContain(part);
    }
    // Two workbooks of long cells written and read back: seconds on a busy machine.
  }, 60_000);

  it("columns are named as the spreadsheet names them", () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
  });
});
