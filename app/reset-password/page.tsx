import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PasswordForm } from "@/components/account/password-form";
import { passwordFormWords } from "@/components/account/password-words";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("password");
  return { title: t("reset.title") };
}

// /reset-password?token=… — a one-time link an admin handed over (embedded mode): a new password, then sign in
// ?invalid=1: a Supabase recovery email's link that GoTrue refused (app/auth/confirm): no form, the reason
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[]; invalid?: string | string[] }> }) {
  const t = await getTranslations("password");
  const query = await searchParams;
  const raw = query.token;
  const token = typeof raw === "string" ? raw : "";
  const invalid = query.invalid !== undefined && token === "";
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">{t("reset.title")}</h1>
        {invalid ? (
          <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {t("errors.invalidRecoveryLink")}
          </p>
        ) : (
          <>
            <p className="mt-1 text-sm text-slate-700">{t("reset.description")}</p>
            <PasswordForm mode="reset" token={token} words={await passwordFormWords()} next="/login" />
          </>
        )}
        <p className="mt-4 text-center text-sm">
          <Link href="/login" className="text-brand-700 underline-offset-2 hover:underline">
            {t("reset.toLogin")}
          </Link>
        </p>
      </div>
    </main>
  );
}
