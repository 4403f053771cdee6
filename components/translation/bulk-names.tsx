"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { controlClass } from "@/components/flows/form-field";
import { api } from "@/components/toolkit/api";
import { Button } from "@/components/ui/button";
import { ScrollBox } from "@/components/ui/scroll-box";
import { requestTranslation } from "./use-translate";

type Item = { id: string; sku: string; name_ko: string; name_zh: string | null; name_en: string | null };
type Proposal = { zh: string; en: string; failed: boolean };

/**
 * "Fill missing Chinese / English names": the user selects items, previews machine translations
 * of their Korean names for the missing ones, edits them, and saves the selected ones. Nothing is
 * saved before Save.
 */
export function BulkNames({ items }: { items: Item[] }) {
  const t = useTranslations("translation");
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set(items.map((i) => i.id)));
  const [proposals, setProposals] = useState<Record<string, Proposal>>({});
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState("");

  if (items.length === 0) return <p className="text-sm text-slate-700">{t("bulk.none")}</p>;

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  async function preview() {
    setBusy(true);
    setNote("");
    // One item at a time: the provider and the limits see a person's pace, not a burst.
    for (const item of items.filter((i) => selected.has(i.id))) {
      const ask = (target: "zh" | "en") => requestTranslation({ target, source: { type: "item", id: item.id, field: "name_ko" } });
      const [zh, en] = await Promise.all([item.name_zh ? null : ask("zh"), item.name_en ? null : ask("en")]);
      setProposals((p) => ({
        ...p,
        [item.id]: {
          zh: item.name_zh ?? (zh?.status === "done" ? zh.text : ""),
          en: item.name_en ?? (en?.status === "done" ? en.text : ""),
          failed: zh?.status === "failed" || en?.status === "failed",
        },
      }));
    }
    setBusy(false);
  }

  async function save() {
    setBusy(true);
    let saved = 0;
    let failed = 0;
    for (const item of items.filter((i) => selected.has(i.id) && proposals[i.id])) {
      const p = proposals[item.id];
      const body: Record<string, string> = {};
      if (!item.name_zh && p.zh.trim()) body.name_zh = p.zh.trim();
      if (!item.name_en && p.en.trim()) body.name_en = p.en.trim();
      if (Object.keys(body).length === 0) continue;
      const res = await api("PATCH", `/api/v1/items/${item.id}`, { body });
      if (res.ok) saved += 1;
      else failed += 1;
    }
    setBusy(false);
    if (saved > 0) toast.success(t("bulk.saved", { count: saved }));
    if (failed > 0) setNote(t("bulk.failed"));
    router.refresh();
  }

  const edit = (id: string, lang: "zh" | "en", value: string) => setProposals((p) => ({ ...p, [id]: { ...p[id], [lang]: value } }));
  const th = "px-2 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-700";
  return (
    <div className="space-y-4" data-testid="bulk-names">
      <ScrollBox label={t("bulk.title")}>
        <table className="min-w-full">
          <thead>
            <tr>
              <th className={th}>{t("bulk.select")}</th>
              <th className={th}>{t("bulk.sku")}</th>
              <th className={th}>{t("bulk.nameKo")}</th>
              <th className={th}>{t("bulk.nameZh")}</th>
              <th className={th}>{t("bulk.nameEn")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const p = proposals[item.id];
              return (
                <tr key={item.id} className="border-t border-slate-200">
                  <td className="px-2 py-1">
                    <input type="checkbox" className="h-4 w-4" checked={selected.has(item.id)} onChange={() => toggle(item.id)} aria-label={`${t("bulk.select")} ${item.sku}`} />
                  </td>
                  <td className="px-2 py-1 text-sm">{item.sku}</td>
                  <td className="px-2 py-1 text-sm" lang="ko">
                    {item.name_ko}
                  </td>
                  {(["zh", "en"] as const).map((lang) => {
                    const existing = lang === "zh" ? item.name_zh : item.name_en;
                    return (
                      <td key={lang} className="px-2 py-1 text-sm" lang={lang}>
                        {existing ? (
                          existing
                        ) : p ? (
                          <input value={p[lang]} onChange={(e) => edit(item.id, lang, e.target.value)} maxLength={200} aria-label={`${item.sku} ${t(lang === "zh" ? "bulk.nameZh" : "bulk.nameEn")}`} className={controlClass()} />
                        ) : (
                          "—"
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollBox>
      {Object.values(proposals).some((p) => p.failed) ? <p className="text-xs text-amber-900">{t("unavailable")}</p> : null}
      <p className="text-xs text-slate-700">{t("machine")}</p>
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => void preview()} disabled={busy || selected.size === 0}>
          {t("bulk.preview")}
        </Button>
        <Button variant="primary" onClick={() => void save()} disabled={busy || Object.keys(proposals).length === 0}>
          {t("bulk.save")}
        </Button>
      </div>
      {note ? (
        <p role="alert" className="text-sm text-red-900">
          {note}
        </p>
      ) : null}
    </div>
  );
}
