"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { requestTranslation } from "@/components/translation/use-translate";
import { Button } from "@/components/ui/button";
import { UNITS } from "@/lib/schemas/values";
import { api, networkFailure } from "@/components/toolkit/api";
import { fieldErrors, useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";
import { useLazy } from "@/components/toolkit/use-lazy";
import { apiFieldMessage, issueMessage } from "./field-messages";
import { CheckboxField, FormError, SelectField, TextField } from "./form-fields";
import type { ItemFormValues } from "./item-values";

// Create and edit an item. Validated here with the API's own zod schema (same rules, no round
// trip for typos), then sent to the API, whose answer has the last word. The schema module (and
// zod with it) loads when the form is first focused or sent, not with the page
// (docs/performance.md, page weight).

/** A number field: empty means "not given" when creating (the default applies), NaN when editing. */
function toNumber(s: string, emptyAs: undefined | number): number | undefined {
  return s.trim() === "" ? emptyAs : Number(s);
}

function toPayload(v: ItemFormValues, mode: "create" | "edit"): Record<string, unknown> {
  const empty = mode === "create" ? undefined : Number.NaN;
  return {
    sku: v.sku.trim(),
    name_ko: v.name_ko.trim(),
    name_zh: v.name_zh.trim() || null,
    name_en: v.name_en.trim() || null,
    unit: v.unit,
    engine_id: v.engine_id || null,
    reorder_point: toNumber(v.reorder_point, empty),
    unit_cost: toNumber(v.unit_cost, empty),
    barcode: v.barcode.trim() || null,
    active: v.active,
  };
}

/** The fields whose value differs from the saved item (PATCH sends only those). */
function changedFields(now: Record<string, unknown>, saved: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(now).filter(([k, v]) => !Object.is(v, saved[k]) && JSON.stringify(v) !== JSON.stringify(saved[k])));
}

export function ItemForm({
  mode,
  itemId,
  initial,
  engines,
  translate = false,
}: {
  mode: "create" | "edit";
  itemId?: string;
  initial: ItemFormValues;
  engines: { value: string; label: string }[];
  /** Machine translation is on: offer "Suggest translations" for the names. */
  translate?: boolean;
}) {
  const t = useTranslations("inventory");
  const te = useTranslations("errors");
  const router = useRouter();
  const form = useForm(initial);
  const { values, setValues, errors, formError, busy, set } = form;
  const errorText = useErrorText({ byCode: { conflict: t("form.itemConflict") } });
  const [saved, setSaved] = useState(initial);
  const [suggesting, setSuggesting] = useState(false);
  const [suggestNote, setSuggestNote] = useState<string>();
  const tt = useTranslations("translation");
  const loadSchemas = useLazy(() => import("@/lib/schemas/inventory").then((m) => ({ create: m.itemCreateSchema, patch: m.itemPatchSchema })));

  // Fills the other two names with machine translations of the first one given; they are only
  // form values, for the user to check, change or clear before saving.
  async function suggest() {
    const names = { ko: values.name_ko.trim(), zh: values.name_zh.trim(), en: values.name_en.trim() };
    const from = (["ko", "zh", "en"] as const).find((l) => names[l] !== "");
    if (!from) {
      setSuggestNote(tt("suggestNeedName"));
      return;
    }
    setSuggesting(true);
    setSuggestNote(undefined);
    const targets = (["ko", "zh", "en"] as const).filter((l) => l !== from);
    const answers = await Promise.all(targets.map((target) => requestTranslation({ target, text: names[from] })));
    setSuggesting(false);
    const filled: Partial<ItemFormValues> = {};
    answers.forEach((a, i) => {
      if (a.status === "done") filled[`name_${targets[i]}`] = a.text;
    });
    setValues((v) => ({ ...v, ...filled }));
    const failed = answers.find((a) => a.status === "failed");
    setSuggestNote(failed && failed.status === "failed" ? tt(failed.reason) : tt("suggested"));
  }

  const onSubmit = form.submit(async () => {
    const payload = toPayload(values, mode);
    const body = mode === "create" ? payload : changedFields(payload, toPayload(saved, mode));
    if (mode === "edit" && Object.keys(body).length === 0) {
      toast.info(t("form.noChanges"));
      return;
    }
    const schemas = await loadSchemas();
    if (!schemas) {
      form.setFormError(errorText(networkFailure().error));
      return;
    }
    if (!form.check(mode === "create" ? schemas.create : schemas.patch, body, (field, issue) => issueMessage(issue, payload[field], t))) {
      form.setFormError(te("validation_failed"));
      return;
    }
    const res =
      mode === "create"
        ? await api<{ id: string }>("POST", "/api/v1/items", { body })
        : await api<{ id: string }>("PATCH", `/api/v1/items/${itemId}`, { body });
    if (res.ok) {
      if (mode === "create") {
        toast.success(t("form.created", { sku: String(payload.sku) }));
        router.push(`/items/${res.data.id}`);
      } else {
        setSaved(values);
        toast.success(t("form.saved"));
        router.refresh();
      }
      return;
    }
    if (res.error.status === 422) form.setErrors(fieldErrors(res.error, (field) => apiFieldMessage(field, t)));
    const message = errorText(res.error);
    form.setFormError(message);
    toast.error(message);
  });

  const id = (f: string) => `item-${f}`;
  const required = t("form.required");
  return (
    <form {...form.formProps} onFocus={() => void loadSchemas()} noValidate onSubmit={onSubmit} className="space-y-4" aria-label={mode === "create" ? t("items.new") : t("item.editTitle")}>
      <FormError message={formError} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id={id("sku")} label={t("fields.sku")} required requiredLabel={required} value={values.sku} onChange={set("sku")} error={errors.sku} hint={t("form.skuHint")} autoComplete="off" maxLength={64} />
        <TextField id={id("barcode")} label={t("fields.barcode")} value={values.barcode} onChange={set("barcode")} error={errors.barcode} autoComplete="off" maxLength={64} />
        <TextField id={id("name_ko")} label={t("fields.nameKo")} required requiredLabel={required} value={values.name_ko} onChange={set("name_ko")} error={errors.name_ko} lang="ko" maxLength={200} />
        <TextField id={id("name_zh")} label={t("fields.nameZh")} value={values.name_zh} onChange={set("name_zh")} error={errors.name_zh} lang="zh" maxLength={200} />
        <TextField id={id("name_en")} label={t("fields.nameEn")} value={values.name_en} onChange={set("name_en")} error={errors.name_en} lang="en" maxLength={200} />
        {translate ? (
          <div className="flex flex-wrap items-center gap-2 sm:col-span-2">
            <Button onClick={() => void suggest()} disabled={suggesting} data-testid="suggest-translations">
              {suggesting ? tt("suggesting") : tt("suggest")}
            </Button>
            {suggestNote ? (
              <p className="text-xs text-slate-700" role="status" data-testid="suggest-note">
                {suggestNote}
              </p>
            ) : null}
          </div>
        ) : null}
        <SelectField
          id={id("engine_id")}
          label={t("fields.engine")}
          value={values.engine_id}
          onChange={set("engine_id")}
          error={errors.engine_id}
          options={[{ value: "", label: t("form.noEngine") }, ...engines]}
        />
        <SelectField id={id("unit")} label={t("fields.unit")} value={values.unit} onChange={set("unit")} error={errors.unit} options={UNITS.map((u) => ({ value: u, label: t(`units.${u}`) }))} />
        <TextField id={id("reorder_point")} label={t("fields.reorderPoint")} type="number" inputMode="decimal" min={0} step="any" value={values.reorder_point} onChange={set("reorder_point")} error={errors.reorder_point} />
        <TextField id={id("unit_cost")} label={t("fields.unitCost")} type="number" inputMode="decimal" min={0} step="any" value={values.unit_cost} onChange={set("unit_cost")} error={errors.unit_cost} />
        <CheckboxField id={id("active")} label={t("fields.active")} checked={values.active} onChange={set("active")} className="self-end pb-2" />
      </div>
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? t("form.saving") : mode === "create" ? t("form.create") : t("form.save")}
        </Button>
      </div>
    </form>
  );
}
