"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { api, newRequestKey } from "@/components/toolkit/api";
import type { InspectionAction } from "@/lib/schemas/inspections";
import { useErrorText } from "@/components/toolkit/error-text";

/** Runs one workflow step through the API, then refreshes the page (or shows why not). */
export function useInspectionAction(inspectionId: string) {
  const t = useTranslations("inspections.actions");
  const errorText = useErrorText();
  const router = useRouter();
  const [busy, setBusy] = useState<InspectionAction | null>(null);
  const [refreshing, startRefresh] = useTransition();
  const [alert, setAlert] = useState("");

  async function run(action: InspectionAction, body: Record<string, unknown> = {}): Promise<boolean> {
    if (busy) return false;
    setBusy(action);
    setAlert("");
    try {
      const res = await api<{ number: string }>("POST", `/api/v1/inspections/${inspectionId}/${action}`, { body, idempotencyKey: newRequestKey() });
      if (!res.ok) {
        const text = errorText(res.error);
        setAlert(text);
        toast.error(text);
        // Someone else may have moved it on: show where it stands now.
        if (res.error.code === "invalid_state") startRefresh(() => router.refresh());
        return false;
      }
      toast.success(t(`done.${action}`, { number: res.data.number }));
      startRefresh(() => router.refresh());
      return true;
    } finally {
      setBusy(null);
    }
  }

  return { run, busy, disabled: busy !== null || refreshing, alert };
}
