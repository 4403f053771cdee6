"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { api } from "@/components/toolkit/api";
import { useErrorText } from "@/components/toolkit/error-text";
import { Modal } from "./dialog";
import { FormAlert } from "./fields";

/**
 * Deactivate or reactivate a user, after a confirmation. The refusal to deactivate the last
 * active admin comes from the server and is shown in the dialog.
 */
export function UserStatusButton({ user }: { user: { id: string; email: string; display_name: string; active: boolean } }) {
  const t = useTranslations("admin.users");
  const common = useTranslations("common");
  const router = useRouter();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);
  const name = user.display_name || user.email;
  const next = !user.active;

  async function confirm() {
    setPending(true);
    setAlert(null);
    const res = await api("PATCH", `/api/v1/users/${user.id}`, { body: { active: next } });
    setPending(false);
    if (!res.ok) {
      setAlert(errorText(res.error));
      toast.error(errorText(res.error));
      return;
    }
    toast.success(next ? t("reactivated", { name }) : t("deactivated", { name }));
    setOpen(false);
    router.refresh();
  }

  return (
    <>
      <Button onClick={() => setOpen(true)} aria-label={user.active ? t("deactivateUser", { name }) : t("reactivateUser", { name })}>
        {user.active ? t("deactivate") : t("reactivate")}
      </Button>
      <Modal
        open={open}
        title={user.active ? t("confirmDeactivateTitle", { name }) : t("confirmReactivateTitle", { name })}
        description={user.active ? t("confirmDeactivate") : t("confirmReactivate")}
        onClose={() => {
          setOpen(false);
          setAlert(null);
        }}
      >
        <FormAlert message={alert} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={() => setOpen(false)}>{common("actions.cancel")}</Button>
          <Button variant={user.active ? "danger" : "primary"} disabled={pending} onClick={confirm}>
            {user.active ? t("deactivate") : t("reactivate")}
          </Button>
        </div>
      </Modal>
    </>
  );
}
