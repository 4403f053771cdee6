import type { Lang } from "./languages";
import type { GlossaryTerm } from "./translator";

const NAMES: Record<Lang, string> = { ko: "Korean", zh: "Simplified Chinese", en: "English" };

/** Terms that matter for this text: those whose source form appears in it (all of them if few). */
export function termsFor(text: string, source: Lang, glossary: GlossaryTerm[]): GlossaryTerm[] {
  if (glossary.length <= 40) return glossary;
  const lower = text.toLowerCase();
  return glossary.filter((t) => {
    const form = t[source];
    return form !== null && form !== "" && lower.includes(form.toLowerCase());
  });
}

/**
 * The system prompt: a trading company's translator, the glossary's forms as fixed choices, and
 * the placeholders kept verbatim. The text itself goes in the user message, never in here.
 */
export function systemPrompt(source: Lang, target: Lang, glossary: GlossaryTerm[]): string {
  const lines = [
    `You translate business messages of a Korean trading company that sources goods from Chinese factories.`,
    `Translate the user's text from ${NAMES[source]} to ${NAMES[target]}.`,
    `Answer with the translation only: no notes, no quotes, no explanations.`,
    `Keep placeholders such as [[EMAIL_1]], [[PHONE_2]] or [[URL_3]] exactly as they are.`,
    `Keep SKUs, model numbers, quantities and units as written.`,
  ];
  const rows = glossary
    .map((t) => [t.ko, t.zh, t.en].map((v) => v ?? "-").join(" | "))
    .filter((row) => row !== "- | - | -");
  if (rows.length > 0) {
    lines.push(`Always use these glossary forms (Korean | Chinese | English):`, ...rows);
  }
  return lines.join("\n");
}
