"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "@/components/ui/toast";
import { apiRequest, newRequestKey } from "@/components/flows/api-client";
import { controlClass } from "@/components/flows/form-field";
import { Button } from "@/components/ui/button";
import { useApiErrorText } from "./use-api-error";

/** Staff-only notes on an application (the customer never receives them). */
export function InternalNotes({ inspectionId, initial }: { inspectionId: string; initial: string | null }) {
  const t = useTranslations("inspections");
  const errorText = useApiErrorText();
  const router = useRouter();
  const [value, setValue] = useState(initial ?? "");
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState("");

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setAlert("");
    const res = await apiRequest(`/api/v1/inspections/${inspectionId}`, {
      method: "PATCH",
      body: { internal_notes: value.trim() === "" ? null : value },
      idempotencyKey: newRequestKey(),
    });
    setBusy(false);
    if (!res.ok) {
      setAlert(errorText(res.error));
      return;
    }
    toast.success(t("actions.notesSaved"));
    router.refresh();
  }

  return (
    <form onSubmit={save} className="space-y-2" data-testid="internal-notes">
      <label htmlFor="internal-notes" className="sr-only">
        {t("detail.internalNotes")}
      </label>
      <textarea id="internal-notes" rows={4} maxLength={4000} value={value} onChange={(e) => setValue(e.target.value)} className={controlClass()} />
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
