"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Button, LinkButton } from "@/components/ui/button";
import type { FlowAction, FlowStatus } from "@/lib/schemas/flows";
import { ActionDialog } from "./action-dialog";
import type { FlowActionFlags } from "./allowed-actions";
import { api, newRequestKey } from "@/components/toolkit/api";
import { useErrorText } from "@/components/toolkit/error-text";

type Props = { flowId: string; status: FlowStatus; allowed: FlowActionFlags };

/** Actions that change stock or end a flow ask first; submit and approve act at once. */
type DialogAction = "commit" | "cancel" | "reverse";

/** The workflow buttons the current user may use on this flow, calling the API. */
export function FlowActions({ flowId, status, allowed }: Props) {
  const t = useTranslations("flows");
  const tc = useTranslations("common");
  const errorText = useErrorText();
  const router = useRouter();
  const [busy, setBusy] = useState<FlowAction | null>(null);
  const [refreshing, startRefresh] = useTransition();
  const [dialog, setDialog] = useState<DialogAction | null>(null);
  const [alert, setAlert] = useState("");
  const [warning, setWarning] = useState("");

  async function run(action: FlowAction, body?: Record<string, string>) {
    if (busy) return;
    setBusy(action);
    setAlert("");
    setWarning("");
    try {
      const res = await api<{ id: string; number: string; shortfalls?: unknown[] }>("POST", `/api/v1/flows/${flowId}/${action}`, { body: body ?? {}, idempotencyKey: newRequestKey() });
      setDialog(null);
      if (!res.ok) {
        const text = errorText(res.error);
        setAlert(text);
        toast.error(text);
        // The flow may have moved on under us (another user acted): show its current state.
        if (res.error.code === "invalid_state") startRefresh(() => router.refresh());
        return;
      }
      toast.success(t(`toast.${action}`, { number: res.data.number }));
      // Submitted or approved while a warehouse lacks stock: say so now, not only at commit.
      const short = res.data.shortfalls?.length ?? 0;
      if (short > 0 && (action === "submit" || action === "approve")) {
        const text = t("stock.afterAction", { count: short });
        setWarning(text);
        toast.warning(text);
      }
      if (action === "reverse") router.push(`/flows/${res.data.id}`);
      else startRefresh(() => router.refresh());
    } finally {
      setBusy(null);
    }
  }

  const disabled = busy !== null || refreshing;
  const any = allowed.edit || allowed.submit || allowed.approve || allowed.commit || allowed.cancel || allowed.reverse;
  const cancelNeedsReason = status !== "draft";

  return (
    <div className="space-y-3">
      {any ? (
        <div role="group" aria-label={t("actions.label")} className="flex flex-wrap gap-2">
          {allowed.edit ? (
            <LinkButton href={`/flows/${flowId}/edit`} variant="secondary">
              {t("actions.edit")}
            </LinkButton>
          ) : null}
          {allowed.submit ? (
            <Button variant="primary" disabled={disabled} onClick={() => run("submit")}>
              {busy === "submit" ? t("actions.working") : t("actions.submit")}
            </Button>
          ) : null}
          {allowed.approve ? (
            <Button variant="primary" disabled={disabled} onClick={() => run("approve")}>
              {busy === "approve" ? t("actions.working") : t("actions.approve")}
            </Button>
          ) : null}
          {allowed.commit ? (
            <Button variant="primary" disabled={disabled} onClick={() => setDialog("commit")}>
              {t("actions.commit")}
            </Button>
          ) : null}
          {allowed.reverse ? (
            <Button variant="secondary" disabled={disabled} onClick={() => setDialog("reverse")}>
              {t("actions.reverse")}
            </Button>
          ) : null}
          {allowed.cancel ? (
            <Button variant="danger" disabled={disabled} onClick={() => setDialog("cancel")}>
              {t("actions.cancel")}
            </Button>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-slate-700">{t("actions.none")}</p>
      )}
      {allowed.ownFlowNeedsOtherApprover ? <p className="text-sm text-slate-800">{t("actions.ownFlow")}</p> : null}
      {warning ? (
        <p role="status" data-testid="flow-action-warning" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {warning}
        </p>
      ) : null}
      {alert ? (
        <p role="alert" data-testid="flow-action-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          {alert}
        </p>
      ) : null}

      <ActionDialog
        open={dialog === "commit"}
        title={t("dialogs.commitTitle")}
        description={t("dialogs.commitBody")}
        confirmLabel={t("actions.commit")}
        cancelLabel={tc("actions.close")}
        pending={disabled}
        onConfirm={() => run("commit")}
        onClose={() => setDialog(null)}
      />
      <ActionDialog
        open={dialog === "cancel"}
        title={t("dialogs.cancelTitle")}
        description={t("dialogs.cancelBody")}
        confirmLabel={t("actions.cancel")}
        cancelLabel={tc("actions.close")}
        variant="danger"
        text={{ label: t("dialogs.reason"), required: cancelNeedsReason, requiredMessage: t("validation.reasonRequired"), maxLength: 500 }}
        pending={disabled}
        onConfirm={(reason) => run("cancel", reason ? { reason } : undefined)}
        onClose={() => setDialog(null)}
      />
      <ActionDialog
        open={dialog === "reverse"}
        title={t("dialogs.reverseTitle")}
        description={t("dialogs.reverseBody")}
        confirmLabel={t("actions.reverse")}
        cancelLabel={tc("actions.close")}
        text={{ label: t("dialogs.note"), required: false, requiredMessage: "", maxLength: 2000 }}
        pending={disabled}
        onConfirm={(note) => run("reverse", note ? { note } : undefined)}
        onClose={() => setDialog(null)}
      />
    </div>
  );
}
