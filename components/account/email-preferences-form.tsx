"use client";

import { useTranslations } from "next-intl";
import { toast } from "@/components/ui/toast";
import { FormAlert } from "@/components/admin/fields";
import { api } from "@/components/toolkit/api";
import { useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";
import { Button } from "@/components/ui/button";
import type { EmailPreferenceKind } from "@/lib/schemas/email";

/** One switch per kind of email the user's role receives, saved together. */
export function EmailPreferencesForm({ initial }: { initial: Partial<Record<EmailPreferenceKind, boolean>> }) {
  const t = useTranslations("email.preferences");
  const errorText = useErrorText();
  const form = useForm(initial);
  const { values, set, formError: alert, busy: pending } = form;
  const kinds = Object.keys(initial) as EmailPreferenceKind[];

  const save = form.submit(async () => {
    const res = await api<{ preferences: Partial<Record<EmailPreferenceKind, boolean>> }>("PATCH", "/api/v1/auth/me/email-preferences", { body: values });
    if (!res.ok) {
      form.setFormError(errorText(res.error));
      return;
    }
    form.setValues(res.data.preferences);
    toast.success(t("saved"));
  });

  return (
    <form {...form.formProps} onSubmit={save} className="space-y-3" data-testid="email-preferences">
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
              onChange={set(kind)}
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
