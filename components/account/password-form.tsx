"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/components/toolkit/api";
import { fieldErrors, useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";
import { RequiredNote, TextField } from "@/components/admin/fields";

// One form for the ways a password is set by its owner: changing it (current password asked),
// changing a temporary one, a one-time reset link (embedded: the token instead of the current
// password), and a session opened by Supabase's recovery email ("recover": the link proved it). Errors come back from the API by field; the words are passed in.

export type PasswordFormWords = {
  current: string;
  next: string;
  confirm: string;
  hint: string;
  /** What the mark of a required field means. */
  required: string;
  submit: string;
  submitting: string;
  mismatch: string;
  done: string;
  errors: Record<"wrong_current" | "too_short" | "same" | "rate_limited" | "invalid_link" | "generic" | "network", string>;
};

export function PasswordForm({ mode, token, words, next }: { mode: "change" | "reset" | "recover"; token?: string; words: PasswordFormWords; next: string }) {
  const router = useRouter();
  const form = useForm({});
  const { errors, formError, busy: pending } = form;
  const [done, setDone] = useState(false);
  const errorText = useErrorText({
    byCode: { rate_limited: words.errors.rate_limited, not_found: words.errors.invalid_link, network: words.errors.network },
    fallback: words.errors.generic,
  });

  /** The API's field details in this form's words (a refused token is about the whole form). */
  const messageFor = (field: string, detail: { message: string }) =>
    field === "current_password" ? words.errors.wrong_current : field === "new_password" ? (/different/.test(detail.message) ? words.errors.same : words.errors.too_short) : field === "token" ? words.errors.invalid_link : undefined;

  const onSubmit = form.submit(async (element) => {
    const data = new FormData(element);
    const nextPassword = String(data.get("new_password") ?? "");
    if (nextPassword !== String(data.get("confirm") ?? "")) {
      form.setErrors({ confirm: words.mismatch });
      return;
    }
    form.setErrors({});
    const body =
      mode === "change"
        ? { current_password: data.get("current_password"), new_password: nextPassword }
        : mode === "recover"
          ? { new_password: nextPassword }
          : { token, new_password: nextPassword };
    const res = await api("POST", mode === "reset" ? "/api/v1/auth/password/reset" : "/api/v1/auth/password", { body });
    if (!res.ok) {
      const { token: tokenError, ...byField } = res.error.code === "rate_limited" || res.error.code === "not_found" ? {} : fieldErrors(res.error, messageFor);
      if (tokenError || Object.keys(byField).length > 0) {
        form.setErrors(byField);
        if (tokenError) form.setFormError(tokenError);
      } else form.setFormError(errorText(res.error));
      return;
    }
    setDone(true);
    router.replace(next);
    router.refresh();
  });

  return (
    <form {...form.formProps} onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
      <RequiredNote text={words.required} />
      {mode === "change" ? (
        <TextField label={words.current} name="current_password" type="password" autoComplete="current-password" required error={errors.current_password} />
      ) : null}
      <TextField label={words.next} name="new_password" type="password" autoComplete="new-password" required minLength={8} maxLength={72} hint={words.hint} error={errors.new_password} />
      <TextField label={words.confirm} name="confirm" type="password" autoComplete="new-password" required error={errors.confirm} />
      {formError ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {formError}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
          {words.done}
        </p>
      ) : null}
      <button type="submit" disabled={pending} className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
        {pending ? words.submitting : words.submit}
      </button>
    </form>
  );
}
