import { describe, expect, it } from "vitest";
import { detectLanguage } from "@/lib/ai/languages";
import { mask, unmask } from "@/lib/ai/mask";
import { systemPrompt, termsFor } from "@/lib/ai/prompt";

// What is decided before a text leaves the server: its language (by script), what is masked, and
// what the system prompt says.

describe("detectLanguage", () => {
  it.each([
    ["검품 일정을 알려주세요.", "ko"],
    ["LCD 모니터 27인치 QHD 샘플", "ko"],
    ["請盡快安排驗貨", "zh"],
    ["请告诉我验货日程。", "zh"],
    ["LCD显示器 27英寸 sample", "zh"],
    ["The cartons arrived damaged.", "en"],
    ["KB-87-RGB mechanical keyboard", "en"],
  ])("%s → %s", (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it("has no answer for a text without letters", () => {
    expect(detectLanguage("12345 / 678")).toBeNull();
  });
});

describe("mask and unmask", () => {
  it("replaces emails, phone numbers and URLs, and puts them back", () => {
    const text = "메일 kim@acme.test, 전화 010-1234-5678 / +86 138 0013 8000, 링크 https://x.test/a?b=1 와 www.acme.test";
    const m = mask(text);
    for (const secret of ["kim@acme.test", "010-1234-5678", "138 0013 8000", "https://x.test/a?b=1", "www.acme.test"]) {
      expect(m.text).not.toContain(secret);
    }
    expect(m.values).toHaveLength(5);
    expect(unmask(m.text, m.values)).toBe(text);
  });

  it("keeps quantities, dates and SKUs", () => {
    const text = "LCD-27-QHD 1200개, 2026-12-07 출고";
    expect(mask(text)).toEqual({ text, values: [] });
  });

  it("a placeholder the translation lost is appended, never dropped", () => {
    const m = mask("연락처 kim@acme.test");
    expect(unmask("Contact:", m.values)).toBe("Contact: kim@acme.test");
  });
});

describe("the system prompt", () => {
  const glossary = [
    { ko: "검품", zh: "验货", en: "inspection" },
    { ko: "키보드", zh: "键盘", en: null },
  ];

  it("names both languages, keeps placeholders and lists the glossary", () => {
    const p = systemPrompt("ko", "zh", glossary);
    expect(p).toContain("from Korean to Simplified Chinese");
    expect(p).toContain("[[EMAIL_1]]");
    expect(p).toContain("검품 | 验货 | inspection");
    expect(p).toContain("키보드 | 键盘 | -");
  });

  it("a long glossary is cut to the terms the text uses", () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ko: `용어${i}`, zh: `术语${i}`, en: `term${i}` }));
    expect(termsFor("용어7 확인", "ko", many).map((t) => t.en)).toEqual(["term7"]);
    expect(termsFor("짧은 글", "ko", glossary)).toEqual(glossary);
  });
});
