"use client";

import { Button } from "@/components/ui/button";
import { CheckboxField, FormError, TextField } from "./form-fields";
import { useRecordForm } from "./use-record-form";

export type EngineFormValues = { code: string; name_ko: string; name_zh: string; name_en: string; description: string; active: boolean };

function toPayload(v: EngineFormValues) {
  return {
    code: v.code.trim().toUpperCase(),
    name_ko: v.name_ko.trim(),
    name_zh: v.name_zh.trim() || null,
    name_en: v.name_en.trim() || null,
    description: v.description.trim() || null,
    active: v.active,
  };
}

// Create a business line (on the list page) or change one (on its own page) through the API.
export function EngineForm({ mode, engineId, initial }: { mode: "create" | "edit"; engineId?: string; initial: EngineFormValues }) {
  const { t, formProps, values, errors, formError, busy, set, onSubmit } = useRecordForm({
    mode,
    initial,
    toPayload,
    schemas: () => import("@/lib/schemas/inventory").then((m) => ({ create: m.engineCreateSchema, patch: m.enginePatchSchema })),
    url: "/api/v1/engines",
    recordId: engineId,
    createdKey: "engines.created",
    conflictKey: "form.codeConflict",
  });

  const id = (f: string) => `engine-${mode}-${f}`;
  return (
    <form {...formProps} noValidate onSubmit={onSubmit} className="space-y-4" aria-label={mode === "create" ? t("engines.new") : t("engines.editTitle")}>
      <FormError message={formError} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id={id("code")} label={t("fields.code")} required requiredLabel={t("form.required")} value={values.code} onChange={set("code")} error={errors.code} hint={t("form.codeHint")} autoComplete="off" maxLength={32} />
        <TextField id={id("name_ko")} label={t("fields.labelKo")} required requiredLabel={t("form.required")} value={values.name_ko} onChange={set("name_ko")} error={errors.name_ko} lang="ko" maxLength={200} />
        <TextField id={id("name_zh")} label={t("fields.labelZh")} value={values.name_zh} onChange={set("name_zh")} error={errors.name_zh} lang="zh" maxLength={200} />
        <TextField id={id("name_en")} label={t("fields.labelEn")} value={values.name_en} onChange={set("name_en")} error={errors.name_en} lang="en" maxLength={200} />
        <TextField id={id("description")} label={t("fields.description")} value={values.description} onChange={set("description")} error={errors.description} maxLength={2000} className="sm:col-span-2" />
        <CheckboxField id={id("active")} label={t("fields.active")} checked={values.active} onChange={set("active")} />
      </div>
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? t("form.saving") : mode === "create" ? t("form.create") : t("form.save")}
      </Button>
    </form>
  );
}
