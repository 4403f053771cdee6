import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { PasswordForm } from "@/components/account/password-form";
import { passwordFormWords } from "@/components/account/password-words";
import { currentActor } from "@/lib/auth/page";
import { landingPath } from "@/lib/auth/permissions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("password");
  const actor = await currentActor();
  return { title: actor?.recovery ? t("recover.title") : t("change.title") };
}

// /account/password — every signed-in user: change the password (the current one asked); after an
// admin set a temporary password, every page sends the user here first. A session opened by
// Supabase's recovery email lands here too (app/auth/confirm) and sets one without the current.
export default async function ChangePasswordPage() {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  const t = await getTranslations("password");
  const required = actor.mustChangePassword;
  const home = landingPath(actor.role);
  const description = actor.recovery ? t("recover.description") : required ? t("change.required") : t("change.description");
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">{actor.recovery ? t("recover.title") : t("change.title")}</h1>
        <p className="mt-1 text-sm text-slate-700">{description}</p>
        <PasswordForm mode={actor.recovery ? "recover" : "change"} words={await passwordFormWords()} next={home} />
        {required ? null : (
          <p className="mt-4 text-center text-sm">
            <Link href={home} className="text-brand-700 underline-offset-2 hover:underline">
              {t("change.back")}
            </Link>
          </p>
        )}
      </div>
    </main>
  );
}
