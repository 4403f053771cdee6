"use client";

import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { api } from "@/components/toolkit/api";
import { useErrorText } from "@/components/toolkit/error-text";
import { FormError } from "./form-fields";

type DeleteResult = { deleted: boolean; deactivated: boolean };

// Delete asks for confirmation in place (no native dialog, which is easy to click through and
// which browsers may suppress). The API decides: removed, deactivated (it has history), or 409.
export function ItemDeleteButton({ itemId, sku, unitLabel }: { itemId: string; sku: string; unitLabel: string }) {
  const t = useTranslations("inventory");
  const errorText = useErrorText();
  const format = useFormatter();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function onConfirm() {
    setBusy(true);
    setError(undefined);
    const res = await api<DeleteResult>("DELETE", `/api/v1/items/${itemId}`);
    setBusy(false);
    setConfirming(false);
    if (res.ok) {
      if (res.data.deleted) {
        toast.success(t("delete.deleted", { sku }));
        router.push("/items");
      } else {
        toast.success(t("delete.deactivated", { sku }));
        router.refresh();
      }
      return;
    }
    const details = res.error.details;
    const raw = details && typeof details === "object" && "on_hand" in details ? Number((details as { on_hand: unknown }).on_hand) : Number.NaN;
    const onHand = Number.isFinite(raw) ? format.number(raw, { maximumFractionDigits: 3 }) : "?";
    const message = res.error.code === "conflict" ? t("delete.hasStock", { onHand, unit: unitLabel }) : errorText(res.error);
    setError(message);
    toast.error(message);
  }

  return (
    <div className="space-y-2">
      <FormError message={error} />
      {confirming ? (
        <div className="flex flex-wrap items-center gap-2 rounded-md border border-red-200 bg-red-50 p-3" data-testid="delete-confirm">
          <p className="text-sm text-red-900">{t("delete.confirm", { sku })}</p>
          <Button variant="danger" onClick={onConfirm} disabled={busy}>
            {busy ? t("delete.deleting") : t("delete.confirmButton")}
          </Button>
          <Button onClick={() => setConfirming(false)} disabled={busy}>
            {t("delete.keep")}
          </Button>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)} data-testid="item-delete">
          {t("delete.button")}
        </Button>
      )}
    </div>
  );
}
