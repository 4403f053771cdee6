import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { currentActor } from "@/lib/auth/page";
import { landingPath } from "@/lib/auth/permissions";
import { LOCALES } from "@/lib/i18n/locales";
import { LoginForm } from "./login-form";
import { LanguagePicker } from "./language-picker";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth");
  return { title: t("title") };
}

// /login — email and password; signed-in users go straight to their landing page
export default async function LoginPage() {
  const actor = await currentActor();
  if (actor) redirect(landingPath(actor.role));
  const t = await getTranslations("auth");
  const common = await getTranslations("common");
  const locale = await getLocale();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="flex items-start justify-between gap-2">
          <h1 className="text-2xl font-semibold">{common("appName")}</h1>
          <LanguagePicker
            current={locale}
            label={common("user.language")}
            options={LOCALES.map((l) => ({ value: l, label: common(`languages.${l}`) }))}
          />
        </div>
        <p className="mt-1 text-sm text-slate-700">{t("subtitle")}</p>
        <LoginForm
          labels={{ email: t("email"), password: t("password"), submit: t("submit"), submitting: t("submitting") }}
          errors={{
            invalid_credentials: t("errors.invalid_credentials"),
            account_disabled: t("errors.account_disabled"),
            validation_failed: t("errors.validation_failed"),
            rate_limited: t("errors.rate_limited"),
            network: t("errors.network"),
            generic: t("errors.generic"),
          }}
        />
      </div>
    </main>
  );
}
