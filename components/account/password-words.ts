import "server-only";
import { getTranslations } from "next-intl/server";
import type { PasswordFormWords } from "./password-form";

/** The password form's words in the request's language (messages/<locale>/password.json). */
export async function passwordFormWords(): Promise<PasswordFormWords> {
  const t = await getTranslations("password");
  const common = await getTranslations("common");
  return {
    current: t("form.current"),
    next: t("form.next"),
    confirm: t("form.confirm"),
    hint: t("form.hint"),
    required: common("requiredMark"),
    submit: t("form.submit"),
    submitting: t("form.submitting"),
    mismatch: t("form.mismatch"),
    done: t("form.done"),
    errors: {
      wrong_current: t("errors.wrongCurrent"),
      too_short: t("errors.tooShort"),
      same: t("errors.same"),
      rate_limited: t("errors.rateLimited"),
      invalid_link: t("errors.invalidLink"),
      generic: t("errors.generic"),
      network: t("errors.network"),
    },
  };
}
