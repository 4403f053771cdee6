import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { EmailPreferencesPage } from "@/components/account/email-preferences-page";
import { requireActor } from "@/lib/auth/page";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("email.preferences");
  return { title: t("title") };
}

// /portal/account — the customer's account: which emails they receive
export default async function PortalAccountPage() {
  const actor = await requireActor("portal:access");
  return <EmailPreferencesPage actor={actor} />;
}
