import type { CellError } from "@/lib/data/imports";
import type { Locale } from "@/lib/i18n/locales";
import en from "@/messages/en/imports.json";
import ko from "@/messages/ko/imports.json";
import zh from "@/messages/zh/imports.json";

// The imports catalogue for files the server writes (templates, count sheets, error reports):
// the user's language for headers and messages, all three for the column explanations.

export type ImportWords = typeof en;
export const IMPORT_WORDS: Record<Locale, ImportWords> = { ko, zh, en };

/** `{name}` placeholders filled from params. */
export function fill(text: string, params: Record<string, unknown> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** "Unit: Unknown unit (PCS)…" for one cell error. */
export function errorText(words: ImportWords, error: CellError): string {
  const label = (words.fields as Record<string, string>)[error.field] ?? error.field;
  const message = (words.errors as Record<string, string>)[error.code] ?? error.code;
  const params = { ...error.params, rows: Array.isArray(error.params?.rows) ? (error.params.rows as number[]).join(", ") : undefined };
  return `${label}: ${fill(message, params)}`;
}
