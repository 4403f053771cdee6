"use client";

import { useLocale, useTranslations } from "next-intl";
import { formatQty } from "@/lib/format";
import { isLocale, type Locale } from "@/lib/i18n/locales";
import type { ApiFailure } from "./api";

// How a failed API call reads to the user, in their language: one place for every screen.

type Shortage = { sku?: string; location_code?: string; available?: number | string; requested?: number | string };
type Detail = { path?: unknown; message?: unknown; code?: unknown; reason?: unknown };
type Translate = ((key: string, values?: Record<string, string | number>) => string) & { has: (key: string) => boolean };

export type ErrorTextOptions = {
  /** A form's own reading of a failure, tried first (undefined: the usual one). */
  own?: (failure: ApiFailure) => string | undefined;
  /** A form's own sentence for some codes (a form's 409 `conflict` says what collided). */
  byCode?: Partial<Record<string, string>>;
  /** The sentence for codes neither `byCode` nor the special cases cover (default: errors.<code>). */
  fallback?: string;
};

/** The API's 422 `details` as a list (anything else is none). */
export function detailsOf(failure: Pick<ApiFailure, "details">): Detail[] {
  return Array.isArray(failure.details) ? failure.details.filter((d): d is Detail => !!d && typeof d === "object") : [];
}

/** The sentence for a failure. Pure, so each special case is tested in every language. */
export function errorText(failure: ApiFailure, tr: { flows: Translate; inspections: Translate; errors: Translate }, locale: Locale, options: ErrorTextOptions = {}): string {
  const own = options.own?.(failure) ?? options.byCode?.[failure.code];
  if (own !== undefined) return own;
  if (failure.code === "network") return tr.errors("network");
  if (failure.code === "insufficient_stock" && failure.details && typeof failure.details === "object") {
    const d = failure.details as Shortage;
    return tr.flows("errors.insufficientStock", {
      sku: d.sku ?? "?",
      location: d.location_code ?? "?",
      available: formatQty(Number(d.available ?? 0), locale),
      requested: formatQty(Number(d.requested ?? 0), locale),
    });
  }
  const details = detailsOf(failure);
  // An outbound of a customer's goods without (or with another) customer, refused on submit.
  if (details[0]?.code === "customer_required") return tr.flows("form.customerRequired");
  if (details[0]?.code === "customer_mismatch") return tr.flows("form.customerMismatch");
  // Storage refused the bytes of a direct upload (its size limit or types).
  if (failure.code === "upload_refused") return tr.inspections("upload.refused");
  // A refused file says why (type, size): in English the server's words, which name the rule
  // exactly; otherwise the catalogue's sentence for the reason the server gives.
  const file = failure.code === "validation_failed" ? details.find((d) => d.path === "file") : undefined;
  if (file) {
    const reasonKey = `upload.reasons.${String(file.reason ?? "")}`;
    if (file.reason && locale !== "en" && tr.inspections.has(reasonKey)) return tr.inspections(reasonKey);
    if (file.message && locale === "en") return String(file.message);
    return tr.errors("validation_failed");
  }
  if (options.fallback !== undefined) return options.fallback;
  return tr.errors.has(failure.code) ? tr.errors(failure.code) : tr.errors("internal_error");
}

/** Turns an API failure into a sentence in the user's language. */
export function useErrorText(options?: ErrorTextOptions): (failure: ApiFailure) => string {
  const flows = useTranslations("flows");
  const inspections = useTranslations("inspections");
  const errors = useTranslations("errors");
  const raw = useLocale();
  const locale = isLocale(raw) ? raw : "ko";
  return (failure) => errorText(failure, { flows, inspections, errors } as unknown as { flows: Translate; inspections: Translate; errors: Translate }, locale, options);
}

/**
 * Field messages of a 422, by field (the first segment of each detail's path; the first detail
 * of a field wins). The API already answers a signed-in user in their language, so its message
 * is the default; a form with its own wording for its fields passes `messageFor`.
 */
export function fieldErrors(failure: Pick<ApiFailure, "details">, messageFor?: (field: string, detail: { path: string; message: string; code?: string }) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of detailsOf(failure)) {
    const path = typeof d.path === "string" ? d.path : "";
    const field = path.split(".")[0] ?? "";
    if (!field || out[field] !== undefined) continue;
    const detail = { path, message: typeof d.message === "string" ? d.message : "", code: typeof d.code === "string" ? d.code : undefined };
    const message = messageFor ? messageFor(field, detail) : detail.message;
    if (message) out[field] = message;
  }
  return out;
}
