"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { toast } from "@/components/ui/toast";
import { api, newRequestKey } from "@/components/toolkit/api";
import { controlClass, errorProps, Field } from "@/components/flows/form-field";
import { Button } from "@/components/ui/button";
import { INSPECTION_TYPES } from "@/lib/schemas/values";
import { ApplicationFilesField, uploadApplicationFiles } from "./application-files";
import { fieldErrors, useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";
import { RequiredNote } from "@/components/admin/fields";

type Values = {
  customer_id: string;
  product: string;
  quantity: string;
  factory_name: string;
  factory_address: string;
  factory_contact: string;
  inspection_type: string;
  requested_date: string;
  notes: string;
};

const EMPTY: Values = { customer_id: "", product: "", quantity: "", factory_name: "", factory_address: "", factory_contact: "", inspection_type: "", requested_date: "", notes: "" };

/** A company staff may file an application for (active customers only; the database checks again). */
export type CustomerChoice = { id: string; code: string; name: string };

type Props = {
  /** Where the new application opens: `${basePath}/${id}`. */
  basePath: string;
  /**
   * Staff filing for a customer: the companies to choose from (adds a required customer field).
   * Customers leave it out: the database files theirs for their own company.
   */
  customers?: CustomerChoice[];
  /** The customer chosen up front (e.g. from a customer's page). */
  initialCustomerId?: string;
};

/** A new inspection application, posted to the API; opens the new application after. */
export function ApplicationForm({ basePath, customers, initialCustomerId }: Props) {
  const t = useTranslations("inspections");
  const tc = useTranslations("common");
  const errorText = useErrorText();
  const router = useRouter();
  const form = useForm<Values>({ ...EMPTY, customer_id: initialCustomerId ?? "" });
  const { values, errors, set, busy } = form;
  const alert = form.formError ?? "";
  const [files, setFiles] = useState<File[]>([]);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const tf = useTranslations("inspections.applicationFiles");
  // One key per filled-in form: a double submit or a retry after a lost answer creates one application.
  const key = useRef(newRequestKey());

  const submit = form.submit(async () => {
    form.setErrors({});
    const quantity = values.quantity.trim() === "" ? null : Number(values.quantity);
    const body = {
      ...(customers ? { customer_id: values.customer_id || undefined } : {}),
      product: values.product,
      quantity,
      factory_name: values.factory_name,
      factory_address: values.factory_address || null,
      factory_contact: values.factory_contact || null,
      inspection_type: values.inspection_type || undefined,
      requested_date: values.requested_date,
      notes: values.notes || null,
    };
    const res = await api<{ id: string; number: string }>("POST", "/api/v1/inspections", { body, idempotencyKey: key.current });
    if (!res.ok) {
      const fields = fieldErrors(res.error);
      form.setErrors(fields);
      const text = Object.keys(fields).length > 0 ? t("form.fixErrors") : errorText(res.error);
      form.setFormError(text);
      toast.error(text);
      return;
    }
    if (files.length > 0) {
      setUploaded(0);
      const failed = await uploadApplicationFiles(res.data.id, files, setUploaded);
      // The application stands either way; its page has the upload form for another try.
      if (failed.length > 0) toast.error(tf("failed", { names: failed.join(", ") }));
    }
    toast.success(t("form.created", { number: res.data.number }));
    router.push(`${basePath}/${res.data.id}`);
  });

  const input = (k: keyof Values, label: string, extra: Record<string, unknown> = {}, className = "") => (
    <Field id={`app-${k}`} label={label} error={errors[k]} className={className} required={extra.required === true}>
      <input
        {...errorProps(`app-${k}`, errors[k])}
        name={k}
        value={values[k]}
        onChange={set(k)}
        className={controlClass(errors[k])}
        aria-required={extra.required === true || undefined}
        {...extra}
      />
    </Field>
  );

  return (
    <form {...form.formProps} onSubmit={submit} noValidate className="space-y-4" data-testid="application-form">
      <RequiredNote text={tc("requiredMark")} />
      <div className="grid gap-4 sm:grid-cols-2">
        {customers ? (
          <Field id="app-customer_id" label={t("fields.customer")} error={errors.customer_id} className="sm:col-span-2" required>
            <select
              {...errorProps("app-customer_id", errors.customer_id)}
              name="customer_id"
              value={values.customer_id}
              onChange={set("customer_id")}
              className={controlClass(errors.customer_id)}
              required
              aria-required
              data-testid="application-customer"
            >
              <option value="">{t("staffNew.chooseCustomer")}</option>
              {customers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.code})
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        {input("product", t("fields.product"), { required: true, maxLength: 200 })}
        {input("quantity", t("fields.quantity"), { type: "number", min: 0, step: "any", inputMode: "decimal" })}
        {input("factory_name", t("fields.factoryName"), { required: true, maxLength: 200 })}
        {input("factory_contact", t("fields.factoryContact"), { maxLength: 200 })}
        {input("factory_address", t("fields.factoryAddress"), { maxLength: 500 }, "sm:col-span-2")}
        <Field id="app-inspection_type" label={t("fields.type")} error={errors.inspection_type} required>
          <select
            {...errorProps("app-inspection_type", errors.inspection_type)}
            name="inspection_type"
            value={values.inspection_type}
            onChange={set("inspection_type")}
            className={controlClass(errors.inspection_type)}
            required
            aria-required
          >
            <option value="">{t("form.chooseType")}</option>
            {INSPECTION_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`types.${type}`)}
              </option>
            ))}
          </select>
        </Field>
        {input("requested_date", t("fields.requestedDate"), { type: "date", required: true })}
        <Field id="app-notes" label={t("fields.notes")} error={errors.notes} className="sm:col-span-2">
          <textarea {...errorProps("app-notes", errors.notes)} name="notes" rows={4} maxLength={4000} value={values.notes} onChange={set("notes")} className={controlClass(errors.notes)} />
        </Field>
        <ApplicationFilesField onChange={setFiles} disabled={busy} />
      </div>
      {alert ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="application-error">
          {alert}
        </p>
      ) : null}
      <Button type="submit" variant="primary" disabled={busy} data-testid="application-submit">
        {uploaded !== null ? tf("uploading", { done: uploaded, total: files.length }) : busy ? t("form.submitting") : t("form.submit")}
      </Button>
    </form>
  );
}
