import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "@/lib/errors";
import { LOCALES } from "@/lib/i18n/locales";
import { NAMESPACES } from "@/lib/i18n/messages";
import { loadCatalogue } from "../helpers/catalogue";

// Every UI text exists in every language, with the same placeholders; every API error code has a
// translation. A missing key fails here, not in front of a user. Messages use the glossary's one
// word per term (docs/glossary.md, its "Do not use" column is read here: Korean and Chinese
// variants, and the English ones such as engine, location, posted), and Korean messages have no
// particle pairs such as 이(가) or (으)로.

const dir = path.resolve(__dirname, "../../messages");

const load = loadCatalogue;

/** The glossary's variants not to use, per language: "ko: 검사, 검수 · zh: 检验 · en (UI): location" cells of its tables. */
function forbiddenVariants(): Record<"ko" | "zh" | "en", string[]> {
  const out: Record<"ko" | "zh" | "en", string[]> = { ko: [], zh: [], en: [] };
  const glossary = readFileSync(path.resolve(__dirname, "../../docs/glossary.md"), "utf8");
  for (const line of glossary.split("\n")) {
    if (!line.startsWith("|")) continue;
    const cells = line.split("|").map((c) => c.trim());
    const last = cells[cells.length - 2] ?? "";
    for (const part of last.split("·")) {
      const m = /^(ko|zh|en)(?: \(UI\))?:\s*(.+)$/.exec(part.trim());
      if (m) out[m[1] as "ko" | "zh" | "en"].push(...m[2].split(",").map((w) => w.trim()).filter(Boolean));
    }
  }
  return out;
}

/** 이(가), 을(를), 은(는), 와(과), (으)로, (이)라 … in either order. */
const PAIRS = /이\(가\)|가\(이\)|을\(를\)|를\(을\)|은\(는\)|는\(은\)|와\(과\)|과\(와\)|\(으\)|\(이\)/;

/**
 * Whether a message uses a word: in Korean only where the word starts (출하 is not in 제출하세요),
 * in English as a whole word in any case, outside placeholders ({location} names a value).
 */
function uses(locale: "ko" | "zh" | "en", text: string, word: string): boolean {
  if (locale === "zh") return text.includes(word);
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (locale === "en") return new RegExp(`\\b${escaped}s?\\b`, "i").test(text.replace(/\{[^{}]*\}/g, ""));
  return [...text.matchAll(new RegExp(escaped, "g"))].some((m) => m.index === 0 || !/[가-힣]/.test(text[m.index - 1]));
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();

describe("messages", () => {
  const byLocale = Object.fromEntries(LOCALES.map((l) => [l, load(l)]));

  it("has exactly the namespace files the app loads", () => {
    for (const l of LOCALES) {
      expect(readdirSync(path.join(dir, l)).sort()).toEqual(NAMESPACES.map((ns) => `${ns}.json`).sort());
    }
  });

  it.each(LOCALES.filter((l) => l !== "ko"))("%s has every Korean key and no others, with the same placeholders", (locale) => {
    const ko = byLocale.ko;
    const other = byLocale[locale];
    expect([...other.keys()].sort()).toEqual([...ko.keys()].sort());
    for (const [key, text] of ko) expect(placeholders(other.get(key) ?? ""), key).toEqual(placeholders(text));
  });

  it("no message is empty", () => {
    for (const l of LOCALES) for (const [key, text] of byLocale[l]) expect(text.trim(), `${l}:${key}`).not.toBe("");
  });

  it("no Korean message has a particle pair such as 이(가), 을(를), 은(는), 와(과) or (으)로", () => {
    const found = [...byLocale.ko].filter(([, text]) => PAIRS.test(text));
    expect(found.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });

  it("messages use the glossary's words, none of the variants it lists (Korean, Chinese and English)", () => {
    const variants = forbiddenVariants();
    expect(variants.ko).toContain("검사");
    expect(variants.zh).toContain("已确认");
    expect(variants.en).toEqual(expect.arrayContaining(["engine", "location", "posted"]));
    // The English check reads whole words: "posted" is found, "composted" is not.
    expect(uses("en", "Posted on Monday", "posted")).toBe(true);
    expect(uses("en", "Composted", "posted")).toBe(false);
    expect(uses("en", "Stock at {location}", "location")).toBe(false);
    for (const l of ["ko", "zh", "en"] as const) {
      const found = [...byLocale[l]].flatMap(([key, text]) => variants[l].filter((v) => uses(l, text, v)).map((v) => `${l}:${key}: ${v} in "${text}"`));
      expect(found).toEqual([]);
    }
  });

  it("every API error code is translated", () => {
    for (const code of Object.keys(ERROR_STATUS)) expect(byLocale.ko.has(`errors.${code}`), code).toBe(true);
  });
});
