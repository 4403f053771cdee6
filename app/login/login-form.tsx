"use client";

import { useRouter } from "next/navigation";
import { api } from "@/components/toolkit/api";
import { useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";

type LoginAnswer = { user: { role: string }; must_change_password?: boolean };

type Labels = { email: string; password: string; submit: string; submitting: string };
type Errors = Record<"invalid_credentials" | "account_disabled" | "validation_failed" | "rate_limited" | "network" | "generic", string>;

export function LoginForm({ labels, errors }: { labels: Labels; errors: Errors }) {
  const router = useRouter();
  const form = useForm({});
  const { formError: error, busy: pending } = form;
  const { generic, ...byCode } = errors;
  const errorText = useErrorText({ byCode, fallback: generic });

  const onSubmit = form.submit(async (element) => {
    const data = new FormData(element);
    const res = await api<LoginAnswer>("POST", "/api/v1/auth/login", { body: { email: data.get("email"), password: data.get("password") } });
    if (!res.ok || !res.data) {
      form.setFormError(res.ok ? generic : errorText(res.error));
      return;
    }
    router.replace(res.data.must_change_password ? "/account/password?required=1" : res.data.user.role === "customer" ? "/portal" : "/dashboard");
    router.refresh();
  });

  return (
    <form {...form.formProps} onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
      <div>
        <label htmlFor="email" className="block text-sm font-medium text-slate-700">
          {labels.email}
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-700">
          {labels.password}
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
        />
      </div>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? labels.submitting : labels.submit}
      </button>
    </form>
  );
}
