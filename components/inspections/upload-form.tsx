"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { controlClass } from "@/components/flows/form-field";
import { Button } from "@/components/ui/button";
import type { ATTACHMENT_KINDS } from "@/lib/schemas/attachments";
import { uploadFile } from "./upload";
import { useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";

type Kind = (typeof ATTACHMENT_KINDS)[number];

/**
 * Upload a file to an inspection or a customer. `kinds` lists what the user may choose (customers:
 * documents only); `allowInternal` offers the staff-only flag. The page refreshes on success.
 */
export function UploadForm({
  target,
  kinds,
  allowInternal = false,
  title,
}: {
  target: { inspection_id?: string; customer_id?: string };
  kinds: Kind[];
  allowInternal?: boolean;
  title?: string;
}) {
  const t = useTranslations("inspections.upload");
  const errorText = useErrorText();
  const router = useRouter();
  const id = useId();
  const form = useForm<{ kind: Kind; internal: boolean }>({ kind: kinds[0] ?? "document", internal: false });
  const { values, busy, formError: alert } = form;
  const [, startRefresh] = useTransition();

  const submit = form.submit(async (element) => {
    const input = element?.querySelector<HTMLInputElement>('input[type="file"]');
    const file = input?.files?.[0];
    if (!file) {
      form.setFormError(t("chooseFile"));
      return;
    }
    const res = await uploadFile({ kind: values.kind, internal: allowInternal && values.internal, ...target }, file);
    if (!res.ok) {
      const text = errorText(res.error);
      form.setFormError(text);
      toast.error(text);
      return;
    }
    toast.success(t("done", { name: res.data.file_name }));
    if (input) input.value = "";
    startRefresh(() => router.refresh());
  });

  return (
    <form {...form.formProps} onSubmit={submit} className="space-y-3" data-testid="upload-form" aria-label={title ?? t("title")}>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1">
          <label htmlFor={`${id}-file`} className="block text-sm font-medium text-slate-800">
            {t("file")}
          </label>
          <input
            id={`${id}-file`}
            name="file"
            type="file"
            accept=".pdf,.jpg,.jpeg,.png,.webp,.xlsx,application/pdf,image/jpeg,image/png,image/webp"
            aria-describedby={`${id}-hint`}
            className="mt-1 block w-full text-sm text-slate-900 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5"
            data-testid="upload-file"
          />
        </div>
        {kinds.length > 1 ? (
          <div>
            <label htmlFor={`${id}-kind`} className="block text-sm font-medium text-slate-800">
              {t("kind")}
            </label>
            <select id={`${id}-kind`} value={values.kind} onChange={form.set("kind")} className={controlClass()} data-testid="upload-kind">
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`kinds.${k}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <Button type="submit" variant="secondary" disabled={busy} data-testid="upload-submit">
          {busy ? t("uploading") : t("submit")}
        </Button>
      </div>
      <p id={`${id}-hint`} className="text-xs text-slate-700">
        {t("hint")}
      </p>
      {allowInternal ? (
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" checked={values.internal} onChange={form.set("internal")} />
          {t("internal")}
        </label>
      ) : null}
      {alert ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="upload-error">
          {alert}
        </p>
      ) : null}
    </form>
  );
}
