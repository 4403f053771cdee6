"use client";

import { useRouter } from "next/navigation";
import { LOCALE_COOKIE } from "@/lib/i18n/locales";

/** Before sign-in the language is a cookie; after, it is the profile's. */
export function LanguagePicker({ current, label, options }: { current: string; label: string; options: { value: string; label: string }[] }) {
  const router = useRouter();
  return (
    <label className="text-sm">
      <span className="sr-only">{label}</span>
      <select
        defaultValue={current}
        className="rounded-md border border-slate-300 bg-white px-2 py-1"
        onChange={(e) => {
          document.cookie = `${LOCALE_COOKIE}=${e.target.value}; path=/; max-age=31536000; samesite=lax`;
          router.refresh();
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
