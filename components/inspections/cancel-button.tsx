"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ActionDialog } from "@/components/flows/action-dialog";
import { Button } from "@/components/ui/button";
import { useInspectionAction } from "./use-inspection-action";

/** Cancel an application after a confirmation, with an optional reason (staff and customers). */
export function CancelInspectionButton({ inspectionId }: { inspectionId: string }) {
  const t = useTranslations("inspections.actions");
  const { run, disabled, alert } = useInspectionAction(inspectionId);
  const [open, setOpen] = useState(false);
  return (
    <div className="space-y-2">
      <Button variant="danger" disabled={disabled} onClick={() => setOpen(true)} data-testid="inspection-cancel">
        {t("cancel")}
      </Button>
      {alert ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          {alert}
        </p>
      ) : null}
      <ActionDialog
        open={open}
        title={t("cancelTitle")}
        description={t("cancelBody")}
        confirmLabel={t("cancel")}
        cancelLabel={t("keep")}
        variant="danger"
        text={{ label: t("reason"), required: false, requiredMessage: "", maxLength: 500 }}
        pending={disabled}
        onConfirm={async (reason) => {
          await run("cancel", reason ? { reason } : {});
          setOpen(false);
        }}
        onClose={() => setOpen(false)}
      />
    </div>
  );
}
