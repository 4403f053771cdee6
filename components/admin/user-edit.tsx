"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { api, networkFailure, useIdempotencyKeys } from "@/components/toolkit/api";
import { detailsOf, fieldErrors, useErrorText } from "@/components/toolkit/error-text";
import { useLazy } from "@/components/toolkit/use-lazy";
import { useForm, type FieldErrors } from "@/components/toolkit/use-form";
import { Modal } from "./dialog";
import { FormAlert, SelectField, TextField } from "./fields";
import type { CustomerChoice } from "./user-create";
import { useFieldMessage, useRoleOptions } from "./user-messages";

export type EditableUser = { id: string; email: string; display_name: string; role: string; customer_id: string | null; customer_name: string | null; active: boolean };

type Props = { user: EditableUser; customers: CustomerChoice[] };

/** "Edit": name, role and company of one user, in a dialog. */
export function UserEditButton({ user, customers }: Props) {
  const t = useTranslations("admin.users");
  const [open, setOpen] = useState(false);
  const name = user.display_name || user.email;
  return (
    <>
      <Button onClick={() => setOpen(true)} aria-label={t("editUser", { name })}>
        {t("edit")}
      </Button>
      <Modal open={open} title={t("editUser", { name })} description={user.email} onClose={() => setOpen(false)} wide>
        <UserEditForm user={user} customers={customers} onDone={() => setOpen(false)} />
      </Modal>
    </>
  );
}

function UserEditForm({ user, customers, onDone }: Props & { onDone: () => void }) {
  const t = useTranslations("admin");
  const router = useRouter();
  const roles = useRoleOptions();
  const errorText = useErrorText();
  // The API's schema loads when the form is first focused or sent: zod stays out of the page's first load.
  const loadSchemas = useLazy(() => import("@/lib/schemas/users"));
  const fieldMessage = useFieldMessage();
  const keyFor = useIdempotencyKeys();
  const form = useForm({ display_name: user.display_name, role: user.role, customer_id: user.customer_id ?? "" });
  const { values, errors, set, formError: alert, busy: pending } = form;

  // PATCH semantics: only what changed is sent.
  function patch(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (values.display_name.trim() !== user.display_name) out.display_name = values.display_name;
    if (values.role !== user.role) out.role = values.role;
    if (values.role === "customer" && (values.role !== user.role || values.customer_id !== (user.customer_id ?? ""))) {
      out.customer_id = values.customer_id || null;
    }
    return out;
  }

  const messageFor = (field: string, code?: string) => fieldMessage(field, String(values[field as keyof typeof values] ?? ""), code);
  function showFieldErrors(next: FieldErrors) {
    form.setErrors(next);
    form.setFormError(t("form.fixErrors"));
  }

  const onSubmit = form.submit(async () => {
    const body = patch();
    if (Object.keys(body).length === 0) {
      onDone();
      return;
    }
    if (values.role === "customer" && !values.customer_id) {
      showFieldErrors({ customer_id: messageFor("customer_id") });
      return;
    }
    // A refinement of the whole body (no path) is shown at the name, the one free-text field.
    const schemas = await loadSchemas();
    if (!schemas) {
      form.setFormError(errorText(networkFailure().error));
      return;
    }
    if (!form.check(schemas.userPatchSchema, body, (field) => messageFor(field), "display_name")) {
      form.setFormError(t("form.fixErrors"));
      return;
    }
    const res = await api<EditableUser>("PATCH", `/api/v1/users/${user.id}`, { body, idempotencyKey: keyFor(body) });
    if (!res.ok) {
      // last_admin and the like are about the whole change, not one field.
      if (detailsOf(res.error).length > 0) showFieldErrors(fieldErrors(res.error, (field) => messageFor(field, res.error.code)));
      else form.setFormError(errorText(res.error));
      return;
    }
    toast.success(t("users.saved", { name: res.data.display_name || res.data.email }));
    onDone();
    router.refresh();
  });

  const customerOptions = [{ value: "", label: t("form.chooseCustomer") }, ...customers.map((c) => ({ value: c.id, label: `${c.name} (${c.code})` }))];
  // A user linked to a company that is no longer active keeps it as a choice.
  if (user.customer_id && !customers.some((c) => c.id === user.customer_id)) {
    customerOptions.push({ value: user.customer_id, label: user.customer_name ?? user.customer_id });
  }

  return (
    <form {...form.formProps} onFocus={() => void loadSchemas()} onSubmit={onSubmit} noValidate className="space-y-4" aria-busy={pending}>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={t("form.displayName")} required maxLength={100} value={values.display_name} onChange={set("display_name")} error={errors.display_name} />
        <SelectField label={t("form.role")} required value={values.role} onChange={set("role")} options={roles} error={errors.role} />
      </div>
      {values.role === "customer" ? (
        <SelectField
          label={t("form.customer")}
          required
          value={values.customer_id}
          onChange={set("customer_id")}
          options={customerOptions}
          hint={t("form.customerHint")}
          error={errors.customer_id}
        />
      ) : null}
      <FormAlert message={alert} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={onDone}>{t("form.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? t("form.saving") : t("form.save")}
        </Button>
      </div>
    </form>
  );
}
