// Personal data never leaves the server in a text sent for translation: email addresses, phone
// numbers and URLs are replaced by numbered placeholders before the call and put back in the
// answer. The placeholders are bracketed Latin tokens that models keep as they are.

const PATTERNS: { kind: "EMAIL" | "URL" | "PHONE"; re: RegExp }[] = [
  { kind: "URL", re: /\b(?:https?:\/\/|www\.)[^\s<>"'）」』】]+/giu },
  { kind: "EMAIL", re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/gu },
  // International or local numbers: +82 10-1234-5678, 010-1234-5678, 138 0013 8000, (02) 123-4567.
  { kind: "PHONE", re: /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}\b/gu },
];

export type Masked = { text: string; values: string[] };

export function mask(input: string): Masked {
  const values: string[] = [];
  let text = input;
  for (const { kind, re } of PATTERNS) {
    text = text.replace(re, (match) => {
      // A bare run of digits that is too short for a phone number (a quantity, a year) stays.
      if (kind === "PHONE" && match.replace(/\D/g, "").length < 9) return match;
      values.push(match);
      return `[[${kind}_${values.length}]]`;
    });
  }
  return { text, values };
}

/** Puts the masked values back; a placeholder the translation lost is appended, never dropped. */
export function unmask(translated: string, values: string[]): string {
  let out = translated;
  const missing: string[] = [];
  values.forEach((value, i) => {
    const re = new RegExp(`\\[\\[\\s*(?:EMAIL|URL|PHONE)_${i + 1}\\s*\\]\\]`, "g");
    if (re.test(out)) out = out.replace(re, () => value);
    else missing.push(value);
  });
  return missing.length > 0 ? `${out} ${missing.join(" ")}` : out;
}
