"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { userPatchSchema } from "@/lib/schemas/users";
import { sendJson, useIdempotencyKeys } from "./api";
import { Modal } from "./dialog";
import { FormAlert, SelectField, TextField } from "./fields";
import type { CustomerChoice } from "./user-create";
import { useErrorText, useFieldMessage, useRoleOptions, type FieldErrors } from "./user-messages";

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
  const fieldMessage = useFieldMessage();
  const keyFor = useIdempotencyKeys();
  const [values, setValues] = useState({ display_name: user.display_name, role: user.role, customer_id: user.customer_id ?? "" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const set = (field: keyof typeof values) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    setErrors((er) => ({ ...er, [field]: undefined }));
  };

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

  function showFieldErrors(paths: string[], code?: string) {
    const next: FieldErrors = {};
    for (const p of paths) next[p] = fieldMessage(p, String(values[p as keyof typeof values] ?? ""), code);
    setErrors(next);
    setAlert(t("form.fixErrors"));
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setAlert(null);
    const body = patch();
    if (Object.keys(body).length === 0) {
      onDone();
      return;
    }
    if (values.role === "customer" && !values.customer_id) {
      showFieldErrors(["customer_id"]);
      return;
    }
    const checked = userPatchSchema.safeParse(body);
    if (!checked.success) {
      showFieldErrors([...new Set(checked.error.issues.map((i) => String(i.path[0] ?? "display_name")))]);
      return;
    }
    setPending(true);
    const res = await sendJson<EditableUser>("PATCH", `/api/v1/users/${user.id}`, body, keyFor(body));
    setPending(false);
    if (!res.ok) {
      // last_admin and the like are about the whole change, not one field.
      if (res.details.length > 0) showFieldErrors(res.details.map((d) => d.path), res.code);
      else setAlert(errorText(res.code));
      return;
    }
    toast.success(t("users.saved", { name: res.data.display_name || res.data.email }));
    onDone();
    router.refresh();
  }

  const customerOptions = [{ value: "", label: t("form.chooseCustomer") }, ...customers.map((c) => ({ value: c.id, label: `${c.name} (${c.code})` }))];
  // A user linked to a company that is no longer active keeps it as a choice.
  if (user.customer_id && !customers.some((c) => c.id === user.customer_id)) {
    customerOptions.push({ value: user.customer_id, label: user.customer_name ?? user.customer_id });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-busy={pending}>
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
