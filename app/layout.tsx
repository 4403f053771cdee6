import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getMessages, getTranslations } from "next-intl/server";
import { Toaster } from "sonner";
import { VercelInsights } from "@/components/vercel-insights";
import { env } from "@/lib/env";
import { clientMessages } from "@/lib/i18n/messages";
import "./globals.css";

// Every page's <title> is its own title (from the catalogue, generateMetadata) and the app's name.
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("common");
  return { title: { default: t("appName"), template: `%s · ${t("appName")}` }, description: t("pages.metaDescription") };
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  // Vercel Analytics and Speed Insights (components/vercel-insights.tsx). Vercel serves their
  // scripts (/_vercel/*) only on its own deployments; elsewhere they would be 404s in the console.
  const onVercel = Boolean(env().VERCEL_ENV);
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <NextIntlClientProvider messages={clientMessages(await getMessages())}>{children}</NextIntlClientProvider>
        {/* Bottom corner: at the top a toast would cover the user menu and sign-out for its lifetime. */}
        <Toaster richColors position="bottom-right" />
        {onVercel && <VercelInsights />}
      </body>
    </html>
  );
}
