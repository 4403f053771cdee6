import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { EmailPreferencesPage } from "@/components/account/email-preferences-page";
import { requireActor } from "@/lib/auth/page";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("email.preferences");
  return { title: t("title") };
}

// /account — the staff member's account: which emails they receive
export default async function StaffAccountPage() {
  const actor = await requireActor("staff:access");
  return <EmailPreferencesPage actor={actor} />;
}
