"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { api } from "@/components/toolkit/api";
import { useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";
import { Modal } from "./dialog";
import { FormAlert, RequiredNote, TextField } from "./fields";

type Issued = { mode: "temporary" } | { mode: "link"; path: string } | { mode: "email"; email: string };

/**
 * An admin resets another user's password: a temporary password (every session of theirs ends;
 * they change it at the next sign-in), or a reset link — Supabase Auth's recovery email, or in
 * embedded mode a one-time link shown once here for the admin to hand over.
 */
export function UserPasswordButton({ user, supportsEmail }: { user: { id: string; email: string; display_name: string; active: boolean }; supportsEmail: boolean }) {
  const t = useTranslations("password.admin");
  const common = useTranslations("common");
  const [open, setOpen] = useState(false);
  const form = useForm({ password: "" });
  const [link, setLink] = useState<string | null>(null);
  const name = user.display_name || user.email;
  const errorText = useErrorText({
    byCode: { invalid_state: t("errors.invalid_state"), validation_failed: t("errors.validation_failed"), rate_limited: t("errors.rate_limited") },
    fallback: t("errors.generic"),
  });

  // One form state for both ways out: the temporary password (the form) and the link (a button).
  const send = (mode: "temporary" | "link") =>
    form.submit(async () => {
      const body = mode === "temporary" ? { mode, password: form.values.password } : { mode };
      const res = await api<Issued>("POST", `/api/v1/users/${user.id}/password`, { body });
      if (!res.ok) {
        form.setFormError(errorText(res.error));
        return;
      }
      if (res.data.mode === "link") setLink(new URL(res.data.path, window.location.origin).toString());
      else {
        toast.success(res.data.mode === "email" ? t("emailSent", { email: res.data.email }) : t("temporaryDone", { name }));
        setOpen(false);
      }
    });

  if (!user.active) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)} aria-label={t("buttonFor", { name })}>
        {t("button")}
      </Button>
      <Modal
        open={open}
        title={t("title", { name })}
        description={t("description")}
        onClose={() => {
          setOpen(false);
          form.reset();
          setLink(null);
        }}
      >
        <FormAlert message={form.formError} />
        {link ? (
          <div className="space-y-2">
            <label className="block text-sm font-medium text-slate-800" htmlFor="reset-link">
              {t("linkLabel")}
            </label>
            <input id="reset-link" readOnly value={link} data-testid="reset-link" className="block w-full rounded-md border border-slate-400 bg-slate-50 px-3 py-2 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
            <p className="text-sm text-slate-700">{t("linkHint")}</p>
            <div className="flex justify-end">
              <Button onClick={() => setOpen(false)}>{t("close")}</Button>
            </div>
          </div>
        ) : (
          <div className="space-y-4">
            <form {...form.formProps}
              className="space-y-3"
              onSubmit={send("temporary")}
            >
              <RequiredNote text={common("requiredMark")} />
              <TextField label={t("temporary")} name="password" type="text" autoComplete="off" required minLength={8} maxLength={72} value={form.values.password} onChange={form.set("password")} />
              <div className="flex justify-end">
                <Button type="submit" variant="primary" disabled={form.busy}>
                  {t("setTemporary")}
                </Button>
              </div>
            </form>
            <div className="flex justify-end border-t border-slate-200 pt-3">
              <Button disabled={form.busy} onClick={() => void send("link")()}>
                {supportsEmail ? t("sendEmail") : t("makeLink")}
              </Button>
            </div>
          </div>
        )}
      </Modal>
    </>
  );
}
