"use client";

import { useLocale, useTranslations } from "next-intl";
import type { ApiFailure } from "@/components/flows/api-client";

/** An API failure as a sentence in the user's language (the error code's translation). */
export function useApiErrorText(): (error: ApiFailure) => string {
  const t = useTranslations("inspections");
  const te = useTranslations("errors");
  const locale = useLocale();
  return (error) => {
    if (error.code === "network") return t("errors.network");
    // Storage refused the bytes of a direct upload (its size limit or types).
    if (error.code === "upload_refused") return t("upload.refused");
    // A refused file says why (type, size): in English the server's words, which name the rule
    // exactly; otherwise the catalogue's sentence for the reason the server gives.
    if (error.code === "validation_failed" && Array.isArray(error.details)) {
      const file = (error.details as { path?: string; message?: string; reason?: string }[]).find((d) => d.path === "file");
      if (file?.reason && locale !== "en" && t.has(`upload.reasons.${file.reason}`)) return t(`upload.reasons.${file.reason}`);
      if (file?.message && locale === "en") return file.message;
      if (file) return te("validation_failed");
    }
    return te.has(error.code) ? te(error.code) : te("internal_error");
  };
}

/** Field messages of a validation failure, by field name. */
export function fieldErrors(error: ApiFailure): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(error.details)) return out;
  for (const d of error.details as { path?: string; message?: string }[]) {
    const key = (d.path ?? "").split(".")[0] ?? "";
    if (key && d.message && !out[key]) out[key] = d.message;
  }
  return out;
}
