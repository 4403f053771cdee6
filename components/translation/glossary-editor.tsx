"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { api, newRequestKey } from "@/components/toolkit/api";
import { controlClass } from "@/components/flows/form-field";
import { useErrorText } from "@/components/toolkit/error-text";
import { useForm } from "@/components/toolkit/use-form";
import { Button } from "@/components/ui/button";
import { ScrollBox } from "@/components/ui/scroll-box";

type Term = { id: string; ko: string | null; zh: string | null; en: string | null; note: string | null };
type Draft = { ko: string; zh: string; en: string; note: string };

const EMPTY: Draft = { ko: "", zh: "", en: "", note: "" };
const draftOf = (t: Term): Draft => ({ ko: t.ko ?? "", zh: t.zh ?? "", en: t.en ?? "", note: t.note ?? "" });
const LANGS = ["ko", "zh", "en"] as const;

/** The glossary as a table: add a term, change or remove one (admins). Each change moves the glossary version on. */
export function GlossaryEditor({ initial }: { initial: Term[] }) {
  const t = useTranslations("translation.glossary");
  const errorText = useErrorText();
  const router = useRouter();
  const [editing, setEditing] = useState<string | null>(null);
  // Two drafts, each a form of its own: the row being changed and the new term under the table.
  const edit = useForm<Draft>(EMPTY);
  const fresh = useForm<Draft>(EMPTY);
  const [alert, setAlert] = useState("");
  const busy = edit.busy || fresh.busy;

  async function send(method: "POST" | "PUT" | "DELETE", url: string, body?: Draft) {
    setAlert("");
    const res = await api(method, url, { body, idempotencyKey: newRequestKey() });
    if (!res.ok) {
      setAlert(errorText(res.error));
      return false;
    }
    toast.success(method === "DELETE" ? t("deleted") : t("saved"));
    router.refresh();
    return true;
  }

  const add = fresh.submit(async () => {
    if (await send("POST", "/api/v1/translations/glossary", fresh.values)) fresh.reset();
  });
  const save = (id: string) =>
    edit.submit(async () => {
      if (await send("PUT", `/api/v1/translations/glossary/${id}`, edit.values)) setEditing(null);
    });
  const remove = (id: string) =>
    edit.submit(async () => {
      await send("DELETE", `/api/v1/translations/glossary/${id}`);
    });

  const input = (value: string, onChange: (v: string) => void, label: string, lang?: string) => (
    <input value={value} onChange={(e) => onChange(e.target.value)} aria-label={label} lang={lang} maxLength={200} className={controlClass()} />
  );

  return (
    <div className="space-y-4">
      <ScrollBox label={t("title")}>
        <table className="min-w-full" data-testid="glossary">
          <thead>
            <tr>
              {LANGS.map((l) => (
                <th key={l} className="px-2 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-700">
                  {t(l)}
                </th>
              ))}
              <th className="px-2 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-700">{t("note")}</th>
              <th className="px-2 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-700">{t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            {initial.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-2 py-3 text-sm text-slate-700">
                  {t("empty")}
                </td>
              </tr>
            ) : null}
            {initial.map((term) =>
              editing === term.id ? (
                <tr key={term.id} className="border-t border-slate-200">
                  {LANGS.map((l) => (
                    <td key={l} className="px-2 py-1">
                      {input(edit.values[l], (v) => edit.setValue(l, v), t(l), l)}
                    </td>
                  ))}
                  <td className="px-2 py-1">{input(edit.values.note, (v) => edit.setValue("note", v), t("note"))}</td>
                  <td className="whitespace-nowrap px-2 py-1">
                    <Button
                      variant="primary"
                      disabled={busy}
                      onClick={() => void save(term.id)()}
                    >
                      {t("save")}
                    </Button>{" "}
                    <Button onClick={() => setEditing(null)}>{t("cancel")}</Button>
                  </td>
                </tr>
              ) : (
                <tr key={term.id} className="border-t border-slate-200">
                  {LANGS.map((l) => (
                    <td key={l} className="px-2 py-2 text-sm text-slate-900" lang={l}>
                      {term[l] ?? "—"}
                    </td>
                  ))}
                  <td className="px-2 py-2 text-sm text-slate-700">{term.note ?? ""}</td>
                  <td className="whitespace-nowrap px-2 py-1">
                    <Button
                      variant="ghost"
                      onClick={() => {
                        setEditing(term.id);
                        edit.reset(draftOf(term));
                      }}
                    >
                      {t("edit")}
                    </Button>
                    <Button
                      variant="ghost"
                      disabled={busy}
                      onClick={() => {
                        if (window.confirm(t("deleteConfirm"))) void remove(term.id)();
                      }}
                    >
                      {t("delete")}
                    </Button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </ScrollBox>
      <form {...fresh.formProps} onSubmit={add} className="grid gap-2 sm:grid-cols-5" data-testid="glossary-add">
        {LANGS.map((l) => (
          <div key={l}>{input(fresh.values[l], (v) => fresh.setValue(l, v), t(l), l)}</div>
        ))}
        <div>{input(fresh.values.note, (v) => fresh.setValue("note", v), t("note"))}</div>
        <Button type="submit" variant="primary" disabled={busy}>
          {t("add")}
        </Button>
      </form>
      {alert ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          {alert}
        </p>
      ) : null}
    </div>
  );
}
