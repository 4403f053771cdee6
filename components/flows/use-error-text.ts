"use client";

import { useLocale, useTranslations } from "next-intl";
import { formatQty } from "@/lib/format";
import { isLocale } from "@/lib/i18n/locales";
import type { ApiFailure } from "./api-client";

type Shortage = { sku?: string; location_code?: string; available?: number | string; requested?: number | string };

/** Turns an API failure into a sentence in the user's language (insufficient_stock names the shortage). */
export function useErrorText(): (error: ApiFailure) => string {
  const t = useTranslations("flows");
  const te = useTranslations("errors");
  const raw = useLocale();
  const locale = isLocale(raw) ? raw : "ko";
  return (error) => {
    if (error.code === "insufficient_stock" && error.details && typeof error.details === "object") {
      const d = error.details as Shortage;
      return t("errors.insufficientStock", {
        sku: d.sku ?? "?",
        location: d.location_code ?? "?",
        available: formatQty(Number(d.available ?? 0), locale),
        requested: formatQty(Number(d.requested ?? 0), locale),
      });
    }
    if (error.code === "network") return t("errors.network");
    // An outbound of a customer's goods without (or with another) customer, refused on submit.
    const first = Array.isArray(error.details) ? (error.details[0] as { code?: unknown } | undefined) : undefined;
    if (first?.code === "customer_required") return t("form.customerRequired");
    if (first?.code === "customer_mismatch") return t("form.customerMismatch");
    return te.has(error.code) ? te(error.code) : te("internal_error");
  };
}
