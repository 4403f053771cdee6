import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { headerRank, type ImportField } from "@/lib/imports/fields";
import en from "@/messages/en/imports.json";
import ko from "@/messages/ko/imports.json";
import zh from "@/messages/zh/imports.json";

// docs/import-export.md's table of column names in three languages is what the templates write
// and what the header matcher reads: a renamed label or a dropped synonym fails here.

const doc = readFileSync(path.resolve(__dirname, "../../docs/import-export.md"), "utf8");
const section = doc.slice(doc.indexOf("### Column names"), doc.indexOf("### What a file may look like"));
const rows = section
  .split("\n")
  .filter((l) => l.startsWith("| `"))
  .map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));

describe("docs: column names in Korean, Chinese and English", () => {
  it("lists every field of the catalogue once, with its labels in the three languages", () => {
    expect(rows.map((r) => r[0].replace(/`/g, ""))).toEqual(Object.keys(en.fields));
    for (const [field, , k, z, e] of rows) {
      const key = field.replace(/`/g, "") as keyof typeof en.fields;
      expect([k, z, e], key).toEqual([ko.fields[key], zh.fields[key], en.fields[key]]);
    }
  });

  it("every name it gives for a field is one the import recognises as that field", () => {
    for (const [field, , k, z, e, others] of rows) {
      const key = field.replace(/`/g, "");
      if (key === "expected") continue; // the count sheet's reference column is never read back
      const target = (key === "counted" ? "qty" : key) as ImportField;
      const names = [k, z, e, ...others.split(", ")];
      for (const name of names) expect(headerRank(target, name), `${key}: ${name}`).not.toBeNull();
    }
  });
});
