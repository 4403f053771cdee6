import { getTranslations } from "next-intl/server";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import type { Actor } from "@/lib/auth";
import { getEmailPreferences } from "@/lib/data/email-preferences";
import { EmailPreferencesForm } from "./email-preferences-form";

/** The account page's email choices: the same page in the staff app and the customer portal. */
export async function EmailPreferencesPage({ actor }: { actor: Actor }) {
  const t = await getTranslations("email.preferences");
  const { preferences } = await getEmailPreferences(actor.caller);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {Object.keys(preferences).length === 0 ? (
        <EmptyState message={t("none")} />
      ) : (
        <Card title={t("title")}>
          <EmailPreferencesForm initial={preferences} />
        </Card>
      )}
    </>
  );
}
