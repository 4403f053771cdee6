// A spreadsheet cell as text, the way the SQL checks expect it: trimmed, full-width letters and
// digits folded to ASCII (１２ → 12), numbers without float noise or exponents, dates as
// YYYY-MM-DD, a formula as its cached result. Blank is null.

/** Full-width ASCII (U+FF01–FF5E) and the ideographic space become their ASCII forms. */
export function foldWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (c) => (c === "\u3000" ? " " : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

export function cleanText(text: string): string | null {
  const t = foldWidth(text).replace(/[\u00a0\u200b\ufeff]/g, " ").trim();
  return t === "" ? null : t;
}

function numberText(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  if (Number.isInteger(n)) return BigInt(n).toString();
  // 15 significant digits: what Excel itself keeps; drops binary noise (0.1 + 0.2).
  const fixed = Number(n.toPrecision(15));
  return Math.abs(fixed) < 1e-6 ? fixed.toFixed(20).replace(/\.?0+$/, "") : String(fixed);
}

function dateText(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  // Spreadsheet dates carry no zone: exceljs reads them as UTC midnight.
  const iso = d.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19).replace("T", " ");
}

/** Any cell value exceljs gives (or a CSV string) as text. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return cleanText(value);
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return dateText(value);
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if ("result" in v || "formula" in v || "sharedFormula" in v) return cellText(v.result);
    if (Array.isArray(v.richText)) return cleanText(v.richText.map((r: { text?: string }) => r.text ?? "").join(""));
    if (typeof v.text === "string") return cleanText(v.text);
    if (typeof v.error === "string") return v.error;
  }
  return null;
}
