import { getTranslations } from "next-intl/server";
import { LinkButton } from "@/components/ui/button";
import { notFoundMetadata } from "@/lib/i18n/not-found-metadata";

// Any address the app does not have, in the reader's language (their profile, else the language
// cookie, else the browser's). Its <title> is metadata: a <title> element in the body would race the
// root layout's default title (the bare app name) for the head.
export const generateMetadata = notFoundMetadata();

export default async function NotFound() {
  const t = await getTranslations("common");
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-2xl font-semibold">{t("pages.notFoundTitle")}</h1>
      <p className="text-slate-700">{t("pages.notFoundHint")}</p>
      <LinkButton href="/">{t("pages.goHome")}</LinkButton>
    </main>
  );
}
