"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { FormAlert, SelectField, TextField } from "@/components/admin/fields";
import { api } from "@/components/toolkit/api";
import { fieldErrors, useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";
import { Button } from "@/components/ui/button";
import { TOKEN_EXPIRY_DAYS, TOKEN_SCOPES } from "@/lib/schemas/values";

type Created = { id: string; name: string; token: string };

/** The new-token form, and the new token shown once until the user says they stored it. */
export function TokenCreate() {
  const t = useTranslations("tokens");
  const router = useRouter();
  const errorText = useErrorText({ byCode: { conflict: t("errors.tooMany") } });
  const form = useForm({ name: "", scope: "read", days: "90" });
  const { values, errors, set, formError: alert, busy: pending } = form;
  const [created, setCreated] = useState<Created | null>(null);

  const submit = form.submit(async () => {
    form.setErrors({});
    if (values.name.trim().length < 1 || values.name.trim().length > 100) {
      form.setErrors({ name: t("errors.name") });
      return;
    }
    const res = await api<Created>("POST", "/api/v1/tokens", { body: { name: values.name, scope: values.scope, expires_in_days: Number(values.days) } });
    if (!res.ok) {
      const byField = fieldErrors(res.error, () => t("errors.name"));
      if (byField.name) form.setErrors({ name: byField.name });
      else form.setFormError(errorText(res.error));
      return;
    }
    setCreated(res.data);
    form.setValue("name", "");
    router.refresh();
  });

  async function copy(token: string) {
    await navigator.clipboard.writeText(token).then(
      () => toast.success(t("created.copied")),
      () => undefined,
    );
  }

  if (created) {
    return (
      <div className="space-y-3" data-testid="token-created" role="status">
        <h3 className="font-semibold text-slate-900">{t("created.title")}</h3>
        <p className="text-sm text-slate-700">{t("created.description")}</p>
        <label className="block text-sm font-medium text-slate-800" htmlFor="new-token">
          {t("created.label")}
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id="new-token"
            readOnly
            value={created.token}
            onFocus={(e) => e.currentTarget.select()}
            className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-1.5 font-mono text-sm"
            data-testid="new-token-value"
          />
          <Button onClick={() => copy(created.token)}>{t("created.copy")}</Button>
          <Button variant="primary" onClick={() => setCreated(null)}>
            {t("created.done")}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form {...form.formProps} onSubmit={submit} className="grid gap-3 md:grid-cols-4 md:items-start" noValidate>
      <TextField label={t("create.name")} hint={t("create.nameHint")} error={errors.name} required value={values.name} maxLength={100} onChange={set("name")} name="name" />
      <SelectField label={t("create.scope")} value={values.scope} onChange={set("scope")} options={TOKEN_SCOPES.map((s) => ({ value: s, label: t(`scopes.${s}`) }))} name="scope" />
      <SelectField
        label={t("create.expires")}
        value={values.days}
        onChange={set("days")}
        options={TOKEN_EXPIRY_DAYS.map((d) => ({ value: String(d), label: t("create.days", { count: d }) }))}
        name="expires_in_days"
      />
      <div className="md:pt-6">
        <Button type="submit" variant="primary" disabled={pending}>
          {t("create.submit")}
        </Button>
      </div>
      <div className="md:col-span-4">
        <FormAlert message={alert} />
      </div>
    </form>
  );
}
