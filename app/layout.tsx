import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Duly ERP", template: "%s · Duly ERP" },
  description: "Inventory, stock flows and factory inspections for Duly Trading",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="ko">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">{children}</body>
    </html>
  );
}
