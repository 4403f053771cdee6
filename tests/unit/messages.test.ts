import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "@/lib/errors";
import { LOCALES } from "@/lib/i18n/locales";
import { NAMESPACES } from "@/lib/i18n/messages";

// Every UI text exists in every language, with the same placeholders; every API error code has a
// translation. A missing key fails here, not in front of a user.

const dir = path.resolve(__dirname, "../../messages");

function flatten(value: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === "string") out.set(prefix, value);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) for (const [kk, vv] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  }
  return out;
}

function load(locale: string): Map<string, string> {
  const all = new Map<string, string>();
  for (const ns of NAMESPACES) {
    const data = JSON.parse(readFileSync(path.join(dir, locale, `${ns}.json`), "utf8"));
    for (const [k, v] of flatten(data, ns)) all.set(k, v);
  }
  return all;
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

  it("every API error code is translated", () => {
    for (const code of Object.keys(ERROR_STATUS)) expect(byLocale.ko.has(`errors.${code}`), code).toBe(true);
  });
});
