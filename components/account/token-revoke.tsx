"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { Modal } from "@/components/admin/dialog";
import { FormAlert } from "@/components/admin/fields";
import { api } from "@/components/toolkit/api";
import { useErrorText } from "@/components/toolkit/error-text";
import { Button } from "@/components/ui/button";

/** Revoke one token, after a confirmation. */
export function TokenRevoke({ token }: { token: { id: string; name: string } }) {
  const t = useTranslations("tokens");
  const common = useTranslations("common");
  const router = useRouter();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);

  async function confirm() {
    setPending(true);
    setAlert(null);
    const res = await api("DELETE", `/api/v1/tokens/${token.id}`);
    setPending(false);
    if (!res.ok) {
      setAlert(errorText(res.error));
      return;
    }
    toast.success(t("revoke.done", { name: token.name }));
    setOpen(false);
    router.refresh();
  }

  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)} aria-label={t("revoke.label", { name: token.name })}>
        {t("revoke.button")}
      </Button>
      <Modal open={open} title={t("revoke.confirmTitle", { name: token.name })} description={t("revoke.confirm")} onClose={() => setOpen(false)}>
        <FormAlert message={alert} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={() => setOpen(false)}>{common("actions.cancel")}</Button>
          <Button variant="danger" disabled={pending} onClick={confirm}>
            {t("revoke.button")}
          </Button>
        </div>
      </Modal>
    </>
  );
}
