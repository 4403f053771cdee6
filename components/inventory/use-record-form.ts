"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import type { z } from "zod";
import { apiFieldPaths, sendJson } from "./api-client";
import { apiFieldErrors, failureMessage, zodFieldErrors } from "./field-errors";

type Options<V, P extends Record<string, unknown>> = {
  mode: "create" | "edit";
  initial: V;
  /** The form's values as the API expects them. */
  toPayload: (values: V) => P;
  schemas: { create: z.ZodType; patch: z.ZodType };
  /** POST goes to `url`; PATCH to `url/recordId`. */
  url: string;
  recordId?: string;
  /** Translation key of the toast after a create, given the payload's `code`. */
  createdKey: string;
  /** Translation key of the message for a 409 conflict. */
  conflictKey: string;
};

// The shared behaviour of the small catalog forms (business lines, warehouses): validate with the
// same zod schema as the API, send, toast, refresh, and map the API's field errors back to fields.
export function useRecordForm<V extends Record<string, unknown>, P extends Record<string, unknown>>(o: Options<V, P>) {
  const t = useTranslations("inventory");
  const te = useTranslations("errors");
  const router = useRouter();
  const [values, setValues] = useState(o.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const set = (field: keyof V) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const value = e.target instanceof HTMLInputElement && e.target.type === "checkbox" ? e.target.checked : e.target.value;
    setValues((v) => ({ ...v, [field]: value }));
  };

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setFormError(undefined);
    const payload = o.toPayload(values);
    const parsed = (o.mode === "create" ? o.schemas.create : o.schemas.patch).safeParse(payload);
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error, payload, t));
      setFormError(te("validation_failed"));
      return;
    }
    setErrors({});
    setBusy(true);
    const res = o.mode === "create" ? await sendJson("POST", o.url, payload) : await sendJson("PATCH", `${o.url}/${o.recordId}`, payload);
    setBusy(false);
    if (res.ok) {
      toast.success(o.mode === "create" ? t(o.createdKey, { code: String(payload.code) }) : t("form.saved"));
      if (o.mode === "create") setValues(o.initial);
      router.refresh();
      return;
    }
    if (res.status === 422) setErrors(apiFieldErrors(apiFieldPaths(res.details), t));
    const message = failureMessage(res, t, te, o.conflictKey);
    setFormError(message);
    toast.error(message);
  }

  return { t, values, errors, formError, busy, set, onSubmit };
}
