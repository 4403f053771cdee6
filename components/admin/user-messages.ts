"use client";

import { useTranslations } from "next-intl";
import { ROLES } from "@/lib/auth/permissions";

// Translated texts the user forms share: role names and their words for invalid fields.

export function useRoleOptions() {
  const common = useTranslations("common");
  return ROLES.map((r) => ({ value: r, label: common(`roles.${r}`) }));
}

/**
 * The message for an invalid field, from what is in it (the API's own messages are English;
 * the field and its value say enough to explain it in the user's language).
 */
export function useFieldMessage() {
  const t = useTranslations("admin.form");
  return (field: string, value: string, code?: string): string => {
    if (field === "email") {
      if (code === "conflict") return t("emailTaken");
      return value.trim() === "" ? t("required") : t("invalidEmail");
    }
    if (field === "password") {
      if (value === "") return t("required");
      return value.length < 8 ? t("passwordTooShort") : t("passwordTooLong");
    }
    if (field === "customer_id") return t("customerRequired");
    if (field === "display_name") return value.trim() === "" ? t("required") : t("tooLong");
    return t("required");
  };
}
