import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { headers } from "next/headers";
import { getLocale, getMessages, getTranslations } from "next-intl/server";
import { EARLY_SUBMIT_GUARD } from "@/components/toolkit/early-input";
import { LazyToaster } from "@/components/ui/toast";
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
  // Only the namespaces client components read go to the browser (lib/i18n/messages.ts): here
  // those every page reads; the staff, portal and print layouts add their own.
  const messages = clientMessages(await getMessages(), "root");
  // The page's CSP nonce (proxy.ts), for the one inline script below.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        {/* First in <body>, before any form: until a form's JavaScript runs, the browser must not
            submit it itself (components/toolkit/early-input.ts). The browser hides a nonce once
            read, hence suppressHydrationWarning. */}
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: EARLY_SUBMIT_GUARD }} />
        <NextIntlClientProvider messages={messages}>{children}</NextIntlClientProvider>
        {/* Bottom corner: at the top a toast would cover the user menu and sign-out for its lifetime.
            Sonner itself loads with the first toast (components/ui/toast.tsx). */}
        <LazyToaster richColors position="bottom-right" />
        {onVercel && <VercelInsights />}
      </body>
    </html>
  );
}
