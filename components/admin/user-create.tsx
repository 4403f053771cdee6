"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { LOCALES } from "@/lib/i18n/locales";
import { api, networkFailure, useIdempotencyKeys } from "@/components/toolkit/api";
import { detailsOf, fieldErrors, useErrorText } from "@/components/toolkit/error-text";
import { useLazy } from "@/components/toolkit/use-lazy";
import { useForm, type FieldErrors } from "@/components/toolkit/use-form";
import { Modal } from "./dialog";
import { FormAlert, SelectField, TextField } from "./fields";
import { useFieldMessage, useRoleOptions } from "./user-messages";

export type CustomerChoice = { id: string; code: string; name: string };

type Props = { customers: CustomerChoice[]; supportsInvite: boolean };

/** "New user": a button that opens the create form in a dialog. */
export function UserCreateButton(props: Props) {
  const t = useTranslations("admin");
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        {t("users.newUser")}
      </Button>
      <Modal open={open} title={t("form.createTitle")} onClose={() => setOpen(false)} wide>
        <UserCreateForm {...props} onDone={() => setOpen(false)} />
      </Modal>
    </>
  );
}

type Values = {
  email: string;
  display_name: string;
  role: string;
  customer_id: string;
  locale: string;
  method: "password" | "invite";
  password: string;
  must_change_password: boolean;
};

function UserCreateForm({ customers, supportsInvite, onDone }: Props & { onDone: () => void }) {
  const t = useTranslations("admin");
  const common = useTranslations("common");
  const router = useRouter();
  const roles = useRoleOptions();
  const errorText = useErrorText();
  // The API's schema loads when the form is first focused or sent: zod stays out of the page's first load.
  const loadSchemas = useLazy(() => import("@/lib/schemas/users"));
  const fieldMessage = useFieldMessage();
  const keyFor = useIdempotencyKeys();
  const form = useForm<Values>({ email: "", display_name: "", role: "korean_team", customer_id: "", locale: "", method: "password", password: "", must_change_password: true });
  const { values, errors, set, formError: alert, busy: pending } = form;
  const mustChangeHintId = useId();

  function body() {
    return {
      email: values.email,
      display_name: values.display_name,
      role: values.role,
      ...(values.role === "customer" ? { customer_id: values.customer_id || null } : {}),
      ...(values.locale ? { locale: values.locale } : {}),
      ...(values.method === "invite" ? { invite: true } : { password: values.password, must_change_password: values.must_change_password }),
    };
  }

  const messageFor = (field: string, code?: string) => fieldMessage(field, String(values[field as keyof Values] ?? ""), code);
  function showFieldErrors(next: FieldErrors) {
    form.setErrors(next);
    form.setFormError(t("form.fixErrors"));
  }

  const onSubmit = form.submit(async () => {
    const payload = body();
    // The API's own schema first, so that most mistakes never leave the browser.
    const schemas = await loadSchemas();
    if (!schemas) {
      form.setFormError(errorText(networkFailure().error));
      return;
    }
    if (!form.check(schemas.userCreateSchema, payload, (field) => messageFor(field))) {
      form.setFormError(t("form.fixErrors"));
      return;
    }
    const res = await api<{ email: string }>("POST", "/api/v1/users", { body: payload, idempotencyKey: keyFor(payload) });
    if (!res.ok) {
      if (detailsOf(res.error).length > 0) showFieldErrors(fieldErrors(res.error, (field) => messageFor(field, res.error.code)));
      else form.setFormError(errorText(res.error));
      return;
    }
    toast.success(values.method === "invite" ? t("users.invited", { email: res.data.email }) : t("users.created", { email: res.data.email }));
    onDone();
    router.refresh();
  });

  const customerOptions = [{ value: "", label: t("form.chooseCustomer") }, ...customers.map((c) => ({ value: c.id, label: `${c.name} (${c.code})` }))];

  return (
    <form {...form.formProps} onFocus={() => void loadSchemas()} onSubmit={onSubmit} noValidate className="space-y-4" aria-busy={pending}>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={t("form.email")} type="email" autoComplete="off" required value={values.email} onChange={set("email")} error={errors.email} />
        <TextField label={t("form.displayName")} required maxLength={100} value={values.display_name} onChange={set("display_name")} error={errors.display_name} />
        <SelectField label={t("form.role")} required value={values.role} onChange={set("role")} options={roles} error={errors.role} />
        <SelectField
          label={t("form.locale")}
          value={values.locale}
          onChange={set("locale")}
          options={[{ value: "", label: t("form.localeDefault") }, ...LOCALES.map((l) => ({ value: l, label: common(`languages.${l}`) }))]}
          error={errors.locale}
        />
      </div>
      {values.role === "customer" ? (
        customers.length === 0 ? (
          <p className="text-sm text-slate-800">{t("form.noCustomers")}</p>
        ) : (
          <SelectField
            label={t("form.customer")}
            required
            value={values.customer_id}
            onChange={set("customer_id")}
            options={customerOptions}
            hint={t("form.customerHint")}
            error={errors.customer_id}
          />
        )
      ) : null}
      {supportsInvite ? (
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">{t("form.access")}</legend>
          <div className="mt-1 flex flex-wrap gap-4 text-sm text-slate-800">
            {(["password", "invite"] as const).map((m) => (
              <label key={m} className="flex items-center gap-2">
                <input type="radio" name="method" value={m} checked={values.method === m} onChange={set("method")} />
                {m === "password" ? t("form.usePassword") : t("form.useInvite")}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      {values.method === "password" ? (
        <TextField
          label={t("form.password")}
          type="password"
          autoComplete="new-password"
          required
          value={values.password}
          onChange={set("password")}
          hint={t("form.passwordHint")}
          error={errors.password}
        />
      ) : null}
      {values.method === "password" ? (
        <div className="text-sm">
          <label className="flex items-start gap-2 text-slate-800">
            <input
              type="checkbox"
              className="mt-0.5 h-4 w-4"
              checked={values.must_change_password}
              onChange={set("must_change_password")}
              aria-describedby={mustChangeHintId}
            />
            {t("form.mustChange")}
          </label>
          <p id={mustChangeHintId} className="ml-6 text-slate-600">
            {t("form.mustChangeHint")}
          </p>
        </div>
      ) : (
        <p className="text-sm text-slate-800">{t("form.inviteHint")}</p>
      )}
      <FormAlert message={alert} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={onDone}>{t("form.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? t("form.saving") : t("form.create")}
        </Button>
      </div>
    </form>
  );
}
