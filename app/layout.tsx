import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale } from "next-intl/server";
import { Toaster } from "sonner";
import { VercelInsights } from "@/components/vercel-insights";
import { env } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Duly ERP", template: "%s · Duly ERP" },
  description: "Inventory, stock flows and factory inspections for Duly Trading",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  // Vercel Analytics and Speed Insights (components/vercel-insights.tsx). Vercel serves their
  // scripts (/_vercel/*) only on its own deployments; elsewhere they would be 404s in the console.
  const onVercel = Boolean(env().VERCEL_ENV);
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
        {/* Bottom corner: at the top a toast would cover the user menu and sign-out for its lifetime. */}
        <Toaster richColors position="bottom-right" />
        {onVercel && <VercelInsights />}
      </body>
    </html>
  );
}
