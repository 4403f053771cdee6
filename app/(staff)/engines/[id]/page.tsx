import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { EngineForm } from "@/components/inventory/engine-form";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { orNotFound, requireActor } from "@/lib/auth/page";
import { getEngine } from "@/lib/data/engines";
import { itemName } from "@/lib/i18n/locales";

type Props = { params: Promise<{ id: string }> };

const loadEngine = (caller: Parameters<typeof getEngine>[0], id: string) => orNotFound(id, () => getEngine(caller, id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [actor, t, { id }] = await Promise.all([requireActor("records:read"), getTranslations("inventory"), params]);
  const engine = await loadEngine(actor.caller, id);
  return { title: `${engine.code} · ${t("engines.title")}` };
}

// /engines/:id — change a business line
export default async function EnginePage({ params }: Props) {
  const actor = await requireActor("records:write");
  const t = await getTranslations("inventory");
  const engine = await loadEngine(actor.caller, (await params).id);
  return (
    <>
      <PageHeader title={itemName(engine, actor.locale)} description={engine.code} actions={<LinkButton href="/engines">{t("engines.backToList")}</LinkButton>} />
      <Card title={t("engines.editTitle")}>
        <EngineForm
          key={String(engine.updated_at ?? engine.id)}
          mode="edit"
          engineId={engine.id}
          initial={{
            code: engine.code,
            name_ko: engine.name_ko,
            name_zh: engine.name_zh ?? "",
            name_en: engine.name_en ?? "",
            description: engine.description ?? "",
            active: engine.active,
          }}
        />
      </Card>
    </>
  );
}
