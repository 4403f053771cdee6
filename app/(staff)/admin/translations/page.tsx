import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { GlossaryEditor } from "@/components/translation/glossary-editor";
import { translationEnabled } from "@/components/translation/load";
import { Card, PageHeader } from "@/components/ui/card";
import { ScrollBox } from "@/components/ui/scroll-box";
import { requireActor } from "@/lib/auth/page";
import { listGlossary, translationUsage } from "@/lib/data/translations";
import { formatQty } from "@/lib/format";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("translation");
  return { title: t("glossary.title") };
}

const th = "px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-700";
const td = "px-3 py-2 text-sm text-slate-900";

// /admin/translations — admins: the translation glossary (edit) and usage per day and per user (only while translation is on)
export default async function TranslationsAdminPage() {
  const actor = await requireActor("users:manage");
  if (!translationEnabled()) notFound();
  const t = await getTranslations("translation");
  const [glossary, usage] = await Promise.all([listGlossary(actor.caller), translationUsage(actor.caller, 30)]);
  const n = (v: number) => formatQty(v, actor.locale);
  return (
    <>
      <PageHeader title={t("glossary.title")} description={t("glossary.intro")} />
      <Card title={t("glossary.version", { version: glossary.version })}>
        <GlossaryEditor initial={glossary.data} />
      </Card>
      <h2 className="mt-8 text-lg font-semibold text-slate-900">{t("usage.title")}</h2>
      <p className="mt-1 text-sm text-slate-700">{t("usage.intro")}</p>
      <p className="mt-1 text-sm font-medium text-slate-900" data-testid="usage-month">
        {t("usage.month", { chars: n(usage.month_chars) })}
      </p>
      <div className="mt-4 grid gap-6 lg:grid-cols-2">
        <Card title={t("usage.perDay")}>
          {usage.days.length === 0 ? (
            <p className="text-sm text-slate-700">{t("usage.empty")}</p>
          ) : (
            <ScrollBox label={t("usage.perDay")}>
              <table className="min-w-full">
                <thead>
                  <tr>
                    <th className={th}>{t("usage.day")}</th>
                    <th className={th}>{t("usage.chars")}</th>
                    <th className={th}>{t("usage.requests")}</th>
                    <th className={th}>{t("usage.cached")}</th>
                  </tr>
                </thead>
                <tbody>
                  {usage.days.map((d) => (
                    <tr key={d.day} className="border-t border-slate-200">
                      <td className={td}>{d.day}</td>
                      <td className={td}>{n(d.chars)}</td>
                      <td className={td}>{n(d.requests)}</td>
                      <td className={td}>{n(d.cached)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollBox>
          )}
        </Card>
        <Card title={t("usage.perUser")}>
          {usage.users.length === 0 ? (
            <p className="text-sm text-slate-700">{t("usage.empty")}</p>
          ) : (
            <ScrollBox label={t("usage.perUser")}>
              <table className="min-w-full">
                <thead>
                  <tr>
                    <th className={th}>{t("usage.day")}</th>
                    <th className={th}>{t("usage.user")}</th>
                    <th className={th}>{t("usage.chars")}</th>
                    <th className={th}>{t("usage.requests")}</th>
                  </tr>
                </thead>
                <tbody>
                  {usage.users.map((u) => (
                    <tr key={`${u.day}-${u.user_id}`} className="border-t border-slate-200">
                      <td className={td}>{u.day}</td>
                      <td className={td}>{u.display_name || u.email}</td>
                      <td className={td}>{n(u.chars)}</td>
                      <td className={td}>{n(u.requests)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollBox>
          )}
        </Card>
      </div>
    </>
  );
}
