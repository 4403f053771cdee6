"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { sendJson } from "@/components/admin/api";
import { FormAlert, SelectField, TextField } from "@/components/admin/fields";
import { useErrorText } from "@/components/admin/user-messages";
import { Button } from "@/components/ui/button";
import { TOKEN_EXPIRY_DAYS, TOKEN_SCOPES } from "@/lib/schemas/values";

type Created = { id: string; name: string; token: string };

/** The new-token form, and the new token shown once until the user says they stored it. */
export function TokenCreate() {
  const t = useTranslations("tokens");
  const router = useRouter();
  const errorText = useErrorText();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<string>("read");
  const [days, setDays] = useState<string>("90");
  const [pending, setPending] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<Created | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setAlert(null);
    setNameError(undefined);
    if (name.trim().length < 1 || name.trim().length > 100) {
      setNameError(t("errors.name"));
      return;
    }
    setPending(true);
    const res = await sendJson<Created>("POST", "/api/v1/tokens", { name, scope, expires_in_days: Number(days) });
    setPending(false);
    if (!res.ok) {
      if (res.details.some((d) => d.path === "name")) setNameError(t("errors.name"));
      else setAlert(res.code === "conflict" ? t("errors.tooMany") : errorText(res.code));
      return;
    }
    setCreated(res.data);
    setName("");
    router.refresh();
  }

  async function copy(token: string) {
    await navigator.clipboard.writeText(token).then(
      () => toast.success(t("created.copied")),
      () => undefined,
    );
  }

  if (created) {
    return (
      <div className="space-y-3" data-testid="token-created" role="status">
        <h3 className="font-semibold text-slate-900">{t("created.title")}</h3>
        <p className="text-sm text-slate-700">{t("created.description")}</p>
        <label className="block text-sm font-medium text-slate-800" htmlFor="new-token">
          {t("created.label")}
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id="new-token"
            readOnly
            value={created.token}
            onFocus={(e) => e.currentTarget.select()}
            className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-1.5 font-mono text-sm"
            data-testid="new-token-value"
          />
          <Button onClick={() => copy(created.token)}>{t("created.copy")}</Button>
          <Button variant="primary" onClick={() => setCreated(null)}>
            {t("created.done")}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={submit} className="grid gap-3 md:grid-cols-4 md:items-start" noValidate>
      <TextField label={t("create.name")} hint={t("create.nameHint")} error={nameError} required value={name} maxLength={100} onChange={(e) => setName(e.target.value)} name="name" />
      <SelectField label={t("create.scope")} value={scope} onChange={(e) => setScope(e.target.value)} options={TOKEN_SCOPES.map((s) => ({ value: s, label: t(`scopes.${s}`) }))} name="scope" />
      <SelectField
        label={t("create.expires")}
        value={days}
        onChange={(e) => setDays(e.target.value)}
        options={TOKEN_EXPIRY_DAYS.map((d) => ({ value: String(d), label: t("create.days", { count: d }) }))}
        name="expires_in_days"
      />
      <div className="md:pt-6">
        <Button type="submit" variant="primary" disabled={pending}>
          {t("create.submit")}
        </Button>
      </div>
      <div className="md:col-span-4">
        <FormAlert message={alert} />
      </div>
    </form>
  );
}
