"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { FormAlert } from "@/components/admin/fields";
import { useErrorText } from "@/components/admin/user-messages";
import { Button } from "@/components/ui/button";
import type { EmailPreferenceKind } from "@/lib/schemas/email";

/** One switch per kind of email the user's role receives, saved together. */
export function EmailPreferencesForm({ initial }: { initial: Partial<Record<EmailPreferenceKind, boolean>> }) {
  const t = useTranslations("email.preferences");
  const errorText = useErrorText();
  const [values, setValues] = useState(initial);
  const [pending, setPending] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);
  const kinds = Object.keys(initial) as EmailPreferenceKind[];

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setAlert(null);
    const res = await fetch("/api/v1/auth/me/email-preferences", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(values),
    }).catch(() => null);
    setPending(false);
    if (!res?.ok) {
      const code = ((await res?.json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code ?? "network";
      setAlert(errorText(code));
      return;
    }
    const body = (await res.json()) as { data: { preferences: Partial<Record<EmailPreferenceKind, boolean>> } };
    setValues(body.data.preferences);
    toast.success(t("saved"));
  }

  return (
    <form onSubmit={save} className="space-y-3" data-testid="email-preferences">
      <FormAlert message={alert} />
      <fieldset className="space-y-2">
        <legend className="sr-only">{t("title")}</legend>
        {kinds.map((kind) => (
          <label key={kind} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              name={kind}
              className="mt-1"
              checked={values[kind] ?? true}
              onChange={(e) => setValues((v) => ({ ...v, [kind]: e.target.checked }))}
            />
            <span>{t(`kinds.${kind}`)}</span>
          </label>
        ))}
      </fieldset>
      <Button type="submit" variant="primary" disabled={pending}>
        {t("save")}
      </Button>
    </form>
  );
}
