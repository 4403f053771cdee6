"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { apiRequest, newRequestKey } from "@/components/flows/api-client";
import type { InspectionAction } from "@/lib/schemas/inspections";
import { useApiErrorText } from "./use-api-error";

/** Runs one workflow step through the API, then refreshes the page (or shows why not). */
export function useInspectionAction(inspectionId: string) {
  const t = useTranslations("inspections.actions");
  const errorText = useApiErrorText();
  const router = useRouter();
  const [busy, setBusy] = useState<InspectionAction | null>(null);
  const [refreshing, startRefresh] = useTransition();
  const [alert, setAlert] = useState("");

  async function run(action: InspectionAction, body: Record<string, unknown> = {}): Promise<boolean> {
    if (busy) return false;
    setBusy(action);
    setAlert("");
    try {
      const res = await apiRequest<{ number: string }>(`/api/v1/inspections/${inspectionId}/${action}`, {
        method: "POST",
        body,
        idempotencyKey: newRequestKey(),
      });
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
