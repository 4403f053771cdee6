"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { api } from "@/components/toolkit/api";
import type { Locale } from "@/lib/i18n/locales";

type Props = {
  name: string;
  roleLabel: string;
  locale: Locale;
  labels: { signOut: string; signOutEverywhere: string; language: string; languageFailed: string; menu: string; tokens: string; password: string; email: string };
  /** The user's API tokens page (staff app or portal). */
  tokensHref: string;
  accountHref: string;
  languages: Record<Locale, string>;
};

/**
 * Who is signed in, a language switch (saved to the profile), the way to change the password, and sign-out of this session or of
 * every session of the user (all devices), as plain forms that work without JavaScript.
 */
export function UserMenu({ name, roleLabel, locale, labels, languages, tokensHref, accountHref }: Props) {
  const router = useRouter();
  const [value, setValue] = useState(locale);
  const [pending, startTransition] = useTransition();

  async function changeLocale(next: Locale) {
    setValue(next);
    const res = await api("PATCH", "/api/v1/auth/me", { body: { locale: next } });
    if (!res.ok) {
      setValue(locale);
      // One sentence in the user's language (the API's own message is English, and a network
      // failure has none); the menu is on every page, so it carries no table of error texts.
      toast.error(labels.languageFailed);
      return;
    }
    startTransition(() => router.refresh());
  }

  return (
    <div className="flex flex-wrap items-center gap-3 text-sm" aria-label={labels.menu} role="group">
      <span data-testid="signed-in-user" className="font-medium">
        {name}
      </span>
      <span data-testid="signed-in-role" className="rounded bg-brand-50 px-2 py-0.5 text-brand-700">
        {roleLabel}
      </span>
      <label className="flex items-center gap-1">
        <span className="sr-only">{labels.language}</span>
        <select
          value={value}
          disabled={pending}
          onChange={(e) => changeLocale(e.target.value as Locale)}
          className="rounded-md border border-slate-300 bg-white px-2 py-1"
          data-testid="locale-switch"
        >
          {(Object.keys(languages) as Locale[]).map((l) => (
            <option key={l} value={l}>
              {languages[l]}
            </option>
          ))}
        </select>
      </label>
      <Link href={accountHref} className="rounded-md px-2 py-1 text-slate-700 underline-offset-2 hover:underline" data-testid="email-preferences-link">
        {labels.email}
      </Link>
      <Link href={tokensHref} className="rounded-md px-2 py-1 text-slate-700 underline-offset-2 hover:underline" data-testid="tokens-link">
        {labels.tokens}
      </Link>
      <Link href="/account/password" className="rounded-md px-2 py-1 text-slate-700 underline-offset-2 hover:underline" data-testid="change-password">
        {labels.password}
      </Link>
      <form action="/api/v1/auth/logout" method="post">
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
          {labels.signOut}
        </button>
      </form>
      <form action="/api/v1/auth/logout" method="post">
        <input type="hidden" name="scope" value="global" />
        <button type="submit" className="rounded-md px-2 py-1 text-slate-600 underline-offset-2 hover:underline" data-testid="sign-out-everywhere">
          {labels.signOutEverywhere}
        </button>
      </form>
    </div>
  );
}
