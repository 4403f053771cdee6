import type { z } from "zod";

// The inventory forms' words for their fields. The shared zod schemas speak English to API
// clients; the forms show the same rules in the user's language, and name the format of a
// format field rather than saying "invalid". (State and sending: components/toolkit.)

export type Translate = (key: string, values?: Record<string, string | number>) => string;

/** Fields whose rule is a format: the message explains the format rather than "invalid". */
const FORMAT_MESSAGES: Record<string, string> = {
  sku: "form.errors.skuFormat",
  barcode: "form.errors.barcodeFormat",
  code: "form.errors.codeFormat",
  unit_cost: "form.errors.money",
  reorder_point: "form.errors.decimals3",
};

/** The message for a schema issue of a field, given the field's raw value. */
export function issueMessage(issue: z.core.$ZodIssue, raw: unknown, t: Translate): string {
  const field = String(issue.path[0] ?? "");
  if (raw === "" || raw === undefined || (typeof raw === "number" && Number.isNaN(raw) && issue.code === "invalid_type")) {
    return t("form.errors.required");
  }
  if (issue.code === "too_big" && issue.origin === "string") return t("form.errors.tooLong", { max: Number(issue.maximum) });
  if (issue.code === "too_small" && issue.origin === "number") return t("form.errors.min", { min: Number(issue.minimum) });
  if (issue.code === "too_big" && issue.origin === "number") return t("form.errors.max", { max: Number(issue.maximum) });
  if (issue.code === "invalid_type") return t("form.errors.number");
  return apiFieldMessage(field, t);
}

/** The message for a field the API rejected (its messages are not ours): its format, or "invalid". */
export function apiFieldMessage(field: string, t: Translate): string {
  return FORMAT_MESSAGES[field] ? t(FORMAT_MESSAGES[field]) : t("form.errors.invalid");
}
