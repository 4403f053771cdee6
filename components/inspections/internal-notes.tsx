"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { toast } from "@/components/ui/toast";
import { api, newRequestKey } from "@/components/toolkit/api";
import { controlClass } from "@/components/flows/form-field";
import { Button } from "@/components/ui/button";
import { useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";

/** Staff-only notes on an application (the customer never receives them). */
export function InternalNotes({ inspectionId, initial }: { inspectionId: string; initial: string | null }) {
  const t = useTranslations("inspections");
  const errorText = useErrorText();
  const router = useRouter();
  const form = useForm({ notes: initial ?? "" });
  const { busy, formError: alert } = form;
  const value = form.values.notes;

  const save = form.submit(async () => {
    const res = await api("PATCH", `/api/v1/inspections/${inspectionId}`, { body: { internal_notes: value.trim() === "" ? null : value }, idempotencyKey: newRequestKey() });
    if (!res.ok) {
      form.setFormError(errorText(res.error));
      return;
    }
    toast.success(t("actions.notesSaved"));
    router.refresh();
  });

  return (
    <form {...form.formProps} onSubmit={save} className="space-y-2" data-testid="internal-notes">
      <label htmlFor="internal-notes" className="sr-only">
        {t("detail.internalNotes")}
      </label>
      <textarea id="internal-notes" rows={4} maxLength={4000} value={value} onChange={form.set("notes")} className={controlClass()} />
      <Button type="submit" disabled={busy || value === (initial ?? "")}>
        {t("actions.saveNotes")}
      </Button>
      {alert ? (
        <p role="alert" className="text-sm text-red-900">
          {alert}
        </p>
      ) : null}
    </form>
  );
}
