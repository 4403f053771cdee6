import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { parseSearchParams, type RawSearchParams } from "@/components/toolkit/list-url";
import { BulkNames } from "@/components/translation/bulk-names";
import { translationEnabled } from "@/components/translation/load";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";
import { listItems } from "@/lib/data/items";
import { itemListQuery } from "@/lib/schemas/inventory";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("translation");
  return { title: t("bulk.title") };
}

// /items/names — staff who write: the items of a list page (the list's own filters) that lack a
// Chinese or English name, machine-translated from the Korean name for the selected ones,
// previewed and edited, saved only on Save (only while translation is on)
export default async function ItemNamesPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requireActor("records:write");
  if (!translationEnabled()) notFound();
  const t = await getTranslations("translation");
  const ti = await getTranslations("inventory");
  const { query } = parseSearchParams(itemListQuery, await searchParams);
  const result = await listItems(actor.caller, { ...query, limit: 100 });
  const missing = result.data
    .filter((i) => !i.name_zh || !i.name_en)
    .map((i) => ({ id: i.id, sku: i.sku, name_ko: i.name_ko, name_zh: i.name_zh, name_en: i.name_en }));
  return (
    <>
      <PageHeader title={t("bulk.title")} description={t("bulk.intro")} actions={<LinkButton href="/items">{ti("item.backToList")}</LinkButton>} />
      <Card>
        <BulkNames items={missing} />
      </Card>
    </>
  );
}
