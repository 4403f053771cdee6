import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { engineChoices } from "@/components/inventory/catalog";
import { ItemForm } from "@/components/inventory/item-form";
import { EMPTY_ITEM } from "@/components/inventory/item-values";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { translationEnabled } from "@/components/translation/load";
import { requireActor } from "@/lib/auth/page";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inventory");
  return { title: t("items.new") };
}

// /items/new — add an item (staff who may write records)
export default async function NewItemPage() {
  const actor = await requireActor("records:write");
  const t = await getTranslations("inventory");
  const { engines, options } = await engineChoices(actor.caller, actor.locale);
  const activeOptions = options.filter((o) => engines.find((e) => e.id === o.value)?.active);
  return (
    <>
      <PageHeader title={t("items.new")} description={t("items.newDescription")} actions={<LinkButton href="/items">{t("item.backToList")}</LinkButton>} />
      <Card>
        <ItemForm mode="create" initial={EMPTY_ITEM} engines={activeOptions} translate={translationEnabled()} />
      </Card>
    </>
  );
}
