"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { api, newRequestKey } from "@/components/toolkit/api";

/** The user's own "translate incoming messages into my language" switch, saved at once. */
export function AutoTranslateToggle({ value, onChange }: { value: boolean; onChange: (value: boolean) => void }) {
  const t = useTranslations("translation");
  const id = useId();
  const [busy, setBusy] = useState(false);
  async function toggle(next: boolean) {
    setBusy(true);
    onChange(next);
    const res = await api<{ auto_translate: boolean }>("PUT", "/api/v1/translations/settings", { body: { auto_translate: next }, idempotencyKey: newRequestKey() });
    setBusy(false);
    if (!res.ok) onChange(!next);
  }
  return (
    <div className="flex items-center gap-2 text-sm text-slate-800">
      <input id={id} type="checkbox" checked={value} disabled={busy} onChange={(e) => void toggle(e.target.checked)} className="h-4 w-4" data-testid="auto-translate" />
      <label htmlFor={id}>{t("autoLabel")}</label>
    </div>
  );
}
