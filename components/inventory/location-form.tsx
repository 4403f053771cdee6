"use client";

import { Button } from "@/components/ui/button";
import { COUNTRIES } from "@/lib/schemas/values";
import { CheckboxField, FormError, SelectField, TextField } from "./form-fields";
import { useRecordForm } from "./use-record-form";

export type LocationFormValues = { code: string; name: string; country: string; active: boolean };

// Create a warehouse (on the list page) or change one (on its own page) through the API. The API
// refuses to deactivate a warehouse that still holds stock (409), which the form explains.
export function LocationForm({ mode, locationId, initial }: { mode: "create" | "edit"; locationId?: string; initial: LocationFormValues }) {
  const { t, formProps, values, errors, formError, busy, set, onSubmit } = useRecordForm({
    mode,
    initial,
    toPayload: (v: LocationFormValues) => ({ code: v.code.trim().toUpperCase(), name: v.name.trim(), country: v.country, active: v.active }),
    schemas: () => import("@/lib/schemas/inventory").then((m) => ({ create: m.locationCreateSchema, patch: m.locationPatchSchema })),
    url: "/api/v1/locations",
    recordId: locationId,
    createdKey: "locations.created",
    conflictKey: "form.locationConflict",
  });

  const id = (f: string) => `location-${mode}-${f}`;
  return (
    <form {...formProps} noValidate onSubmit={onSubmit} className="space-y-4" aria-label={mode === "create" ? t("locations.new") : t("locations.editTitle")}>
      <FormError message={formError} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id={id("code")} label={t("fields.code")} required requiredLabel={t("form.required")} value={values.code} onChange={set("code")} error={errors.code} hint={t("form.codeHint")} autoComplete="off" maxLength={32} />
        <TextField id={id("name")} label={t("fields.locationName")} required requiredLabel={t("form.required")} value={values.name} onChange={set("name")} error={errors.name} maxLength={200} />
        <SelectField id={id("country")} label={t("fields.country")} value={values.country} onChange={set("country")} error={errors.country} options={COUNTRIES.map((c) => ({ value: c, label: t(`countries.${c}`) }))} />
        <CheckboxField id={id("active")} label={t("fields.active")} checked={values.active} onChange={set("active")} className="self-end pb-2" />
      </div>
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? t("form.saving") : mode === "create" ? t("form.create") : t("form.save")}
      </Button>
    </form>
  );
}
