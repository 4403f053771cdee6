"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

// One form for the ways a password is set by its owner: changing it (current password asked),
// changing a temporary one, a one-time reset link (embedded: the token instead of the current
// password), and a session opened by Supabase's recovery email ("recover": the link proved it). Errors come back from the API by field; the words are passed in.

type Field = "current_password" | "new_password" | "confirm";
export type PasswordFormWords = {
  current: string;
  next: string;
  confirm: string;
  hint: string;
  submit: string;
  submitting: string;
  mismatch: string;
  done: string;
  errors: Record<"wrong_current" | "too_short" | "same" | "rate_limited" | "invalid_link" | "generic" | "network", string>;
};

type ApiError = { error?: { code?: string; details?: { path?: string; message?: string }[] } };

export function PasswordForm({ mode, token, words, next }: { mode: "change" | "reset" | "recover"; token?: string; words: PasswordFormWords; next: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Partial<Record<Field | "form", string>>>({});
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  function errorsOf(status: number, body: ApiError): Partial<Record<Field | "form", string>> {
    const code = body.error?.code;
    if (code === "rate_limited") return { form: words.errors.rate_limited };
    if (code === "not_found") return { form: words.errors.invalid_link };
    const out: Partial<Record<Field | "form", string>> = {};
    for (const d of body.error?.details ?? []) {
      if (d.path === "current_password") out.current_password = words.errors.wrong_current;
      else if (d.path === "new_password") out.new_password = /different/.test(d.message ?? "") ? words.errors.same : words.errors.too_short;
      else if (d.path === "token") out.form = words.errors.invalid_link;
    }
    return Object.keys(out).length > 0 || status < 400 ? out : { form: words.errors.generic };
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const nextPassword = String(form.get("new_password") ?? "");
    if (nextPassword !== String(form.get("confirm") ?? "")) {
      setErrors({ confirm: words.mismatch });
      return;
    }
    setPending(true);
    setErrors({});
    try {
      const body =
        mode === "change"
          ? { current_password: form.get("current_password"), new_password: nextPassword }
          : mode === "recover"
            ? { new_password: nextPassword }
            : { token, new_password: nextPassword };
      const res = await fetch(mode === "reset" ? "/api/v1/auth/password/reset" : "/api/v1/auth/password", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) {
        setErrors(errorsOf(res.status, (await res.json().catch(() => ({}))) as ApiError));
        return;
      }
      setDone(true);
      router.replace(next);
      router.refresh();
    } catch {
      setErrors({ form: words.errors.network });
    } finally {
      setPending(false);
    }
  }

  const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30";
  const fieldError = (f: Field) =>
    errors[f] ? (
      <p id={`${f}-error`} className="mt-1 text-sm text-red-700">
        {errors[f]}
      </p>
    ) : null;

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
      {mode === "change" ? (
        <div>
          <label htmlFor="current_password" className="block text-sm font-medium text-slate-700">
            {words.current}
          </label>
          <input id="current_password" name="current_password" type="password" autoComplete="current-password" required aria-invalid={!!errors.current_password} aria-describedby={errors.current_password ? "current_password-error" : undefined} className={input} />
          {fieldError("current_password")}
        </div>
      ) : null}
      <div>
        <label htmlFor="new_password" className="block text-sm font-medium text-slate-700">
          {words.next}
        </label>
        <input id="new_password" name="new_password" type="password" autoComplete="new-password" required minLength={8} maxLength={72} aria-invalid={!!errors.new_password} aria-describedby="new_password-hint" className={input} />
        <p id="new_password-hint" className="mt-1 text-xs text-slate-700">
          {words.hint}
        </p>
        {fieldError("new_password")}
      </div>
      <div>
        <label htmlFor="confirm" className="block text-sm font-medium text-slate-700">
          {words.confirm}
        </label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" required aria-invalid={!!errors.confirm} aria-describedby={errors.confirm ? "confirm-error" : undefined} className={input} />
        {fieldError("confirm")}
      </div>
      {errors.form ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {errors.form}
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
