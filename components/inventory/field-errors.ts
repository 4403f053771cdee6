import type { z } from "zod";

// Turns validation issues into translated messages. The shared zod schemas speak English to API
// clients; the forms show the same rules in the user's language.

export type Translate = (key: string, values?: Record<string, string | number>) => string;

/** Fields whose rule is a format: the message explains the format rather than "invalid". */
const FORMAT_MESSAGES: Record<string, string> = {
  sku: "form.errors.skuFormat",
  barcode: "form.errors.barcodeFormat",
  code: "form.errors.codeFormat",
  unit_cost: "form.errors.money",
  reorder_point: "form.errors.decimals3",
};

export function issueMessage(issue: z.core.$ZodIssue, raw: unknown, t: Translate): string {
  const field = String(issue.path[0] ?? "");
  if (raw === "" || raw === undefined || (typeof raw === "number" && Number.isNaN(raw) && issue.code === "invalid_type")) {
    return t("form.errors.required");
  }
  if (issue.code === "too_big" && issue.origin === "string") return t("form.errors.tooLong", { max: Number(issue.maximum) });
  if (issue.code === "too_small" && issue.origin === "number") return t("form.errors.min", { min: Number(issue.minimum) });
  if (issue.code === "too_big" && issue.origin === "number") return t("form.errors.max", { max: Number(issue.maximum) });
  if (issue.code === "invalid_type") return t("form.errors.number");
  if (FORMAT_MESSAGES[field]) return t(FORMAT_MESSAGES[field]);
  return t("form.errors.invalid");
}

/** One message per field (the first issue wins), from a failed safeParse. */
export function zodFieldErrors(error: z.ZodError, values: Record<string, unknown>, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "");
    if (field && !out[field]) out[field] = issueMessage(issue, values[field], t);
  }
  return out;
}

/** Field messages for the paths the API rejected (its messages are English; ours are not). */
export function apiFieldErrors(paths: string[], t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of paths) out[field] = FORMAT_MESSAGES[field] ? t(FORMAT_MESSAGES[field]) : t("form.errors.invalid");
  return out;
}

/** The form-level message for a failed request; `conflictKey` explains this form's 409. */
export function failureMessage(
  res: { code: string },
  t: Translate,
  te: Translate & { has: (key: string) => boolean },
  conflictKey: string,
): string {
  if (res.code === "conflict") return t(conflictKey);
  if (res.code === "network") return t("form.network");
  return te.has(res.code) ? te(res.code) : te("internal_error");
}
