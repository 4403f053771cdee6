import { describe, expect, it } from "vitest";
import { columnKeys } from "@/lib/export/columns";
import { contentDisposition, exportFormat } from "@/lib/export/response";
import { cellValue, csvField, seoulToday, seoulWallTime } from "@/lib/export/values";
import en from "@/messages/en/exports.json";
import ko from "@/messages/ko/exports.json";
import zh from "@/messages/zh/exports.json";

const words = { yes: "예", no: "아니요" };

describe("export values", () => {
  it("times become Seoul wall times (UTC+9), calendar dates stay the same day", () => {
    expect(seoulWallTime("2026-12-04T15:30:00Z").toISOString()).toBe("2026-12-05T00:30:00.000Z");
    expect(seoulToday(Date.parse("2026-12-04T14:59:59Z"))).toBe("2026-12-04");
    expect(seoulToday(Date.parse("2026-12-04T15:00:00Z"))).toBe("2026-12-05");
    expect((cellValue({ key: "d", type: "date", width: 10 }, "2026-12-04", words) as Date).toISOString()).toBe("2026-12-04T00:00:00.000Z");
    expect(csvField({ key: "t", type: "datetime", width: 10 }, "2026-12-04T15:30:00.123456+00:00", words)).toBe("2026-12-05 00:30:00");
  });

  it("numbers are numbers, booleans words, empty values empty", () => {
    expect(cellValue({ key: "q", type: "qty", width: 10 }, 12.5, words)).toBe(12.5);
    expect(cellValue({ key: "q", type: "krw", width: 10 }, "119000", words)).toBe(119000);
    expect(cellValue({ key: "a", type: "bool", width: 10 }, false, words)).toBe("아니요");
    expect(cellValue({ key: "s", type: "text", width: 10 }, null, words)).toBeNull();
    expect(csvField({ key: "s", type: "text", width: 10 }, undefined, words)).toBe("");
  });

  it("CSV text that Excel would run as a formula starts with an apostrophe; numbers and plain text stay as they are", () => {
    const text = { key: "s", type: "text", width: 10 } as const;
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
      expect(csvField(text, `${start}SUM(A1:A9)`, words)).toBe(`'${start}SUM(A1:A9)`);
    }
    expect(csvField(text, "검품 보고서 = 통과", words)).toBe("검품 보고서 = 통과");
    expect(csvField({ key: "q", type: "qty", width: 10 }, -12.5, words)).toBe("-12.5");
    expect(cellValue(text, "=1+1", words)).toBe("=1+1");
  });

  it("file names: an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("items-2026-12-04.xlsx")).toBe(`attachment; filename="items-2026-12-04.xlsx"; filename*=UTF-8''items-2026-12-04.xlsx`);
    expect(contentDisposition("품목-2026.csv")).toBe(`attachment; filename="__-2026.csv"; filename*=UTF-8''%ED%92%88%EB%AA%A9-2026.csv`);
  });

  it("?format is xlsx, csv or absent", () => {
    expect(exportFormat(new URL("http://x/a?format=csv"))).toBe("csv");
    expect(exportFormat(new URL("http://x/a"))).toBeUndefined();
    expect(() => exportFormat(new URL("http://x/a?format=xls"))).toThrow(expect.objectContaining({ code: "bad_request" }));
  });

  it("every column has a header in Korean, Chinese and English", () => {
    for (const words of [ko, zh, en]) {
      for (const key of columnKeys()) expect((words.columns as Record<string, string>)[key], key).toMatch(/\S/);
    }
  });
});
