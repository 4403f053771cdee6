"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "@/components/ui/toast";
import type { z } from "zod";
import { api, networkFailure } from "@/components/toolkit/api";
import { fieldErrors, useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";
import { useLazy } from "@/components/toolkit/use-lazy";
import { apiFieldMessage, issueMessage } from "./field-messages";

type Options<V, P extends Record<string, unknown>> = {
  mode: "create" | "edit";
  initial: V;
  /** The form's values as the API expects them. */
  toPayload: (values: V) => P;
  /**
   * The API's schemas, loaded when the form is first focused or sent: zod and the schema module
   * stay out of the page's first load (a list page with its create form, docs/performance.md).
   */
  schemas: () => Promise<{ create: z.ZodType; patch: z.ZodType }>;
  /** POST goes to `url`; PATCH to `url/recordId`. */
  url: string;
  recordId?: string;
  /** Translation key of the toast after a create, given the payload's `code`. */
  createdKey: string;
  /** Translation key of the message for a 409 conflict. */
  conflictKey: string;
};

// What the small catalog forms (business lines, warehouses) do on submit, on the shared form
// state (components/toolkit/use-form): validate with the API's zod schema, send, toast, refresh,
// and map the API's field errors back to fields.
export function useRecordForm<V extends Record<string, unknown>, P extends Record<string, unknown>>(o: Options<V, P>) {
  const t = useTranslations("inventory");
  const te = useTranslations("errors");
  const router = useRouter();
  const form = useForm(o.initial);
  const errorText = useErrorText({ byCode: { conflict: t(o.conflictKey) } });
  const loadSchemas = useLazy(o.schemas);

  const onSubmit = form.submit(async () => {
    const payload = o.toPayload(form.values);
    const schemas = await loadSchemas();
    if (!schemas) {
      form.setFormError(errorText(networkFailure().error));
      return;
    }
    if (!form.check(o.mode === "create" ? schemas.create : schemas.patch, payload, (field, issue) => issueMessage(issue, payload[field], t))) {
      form.setFormError(te("validation_failed"));
      return;
    }
    const res = o.mode === "create" ? await api("POST", o.url, { body: payload }) : await api("PATCH", `${o.url}/${o.recordId}`, { body: payload });
    if (res.ok) {
      toast.success(o.mode === "create" ? t(o.createdKey, { code: String(payload.code) }) : t("form.saved"));
      if (o.mode === "create") form.reset();
      router.refresh();
      return;
    }
    if (res.error.status === 422) form.setErrors(fieldErrors(res.error, (field) => apiFieldMessage(field, t)));
    const message = errorText(res.error);
    form.setFormError(message);
    toast.error(message);
  });

  // Focus in the form starts loading the schemas, so a send rarely waits for them.
  const formProps = { ...form.formProps, onFocus: () => void loadSchemas() };
  return { t, formProps, values: form.values, errors: form.errors, formError: form.formError, busy: form.busy, set: form.set, onSubmit };
}
