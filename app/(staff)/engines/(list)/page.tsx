import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { EnginesTable } from "@/components/inventory/catalog-tables";
import { EngineForm } from "@/components/inventory/engine-form";
import { parseSearchParams, type RawSearchParams } from "@/components/toolkit/list-url";
import { Card, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState } from "@/components/ui/states";
import { requireActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listEngines } from "@/lib/data/engines";
import { itemName } from "@/lib/i18n/locales";
import { engineListQuery } from "@/lib/schemas/inventory";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inventory");
  return { title: t("engines.title") };
}

// /engines — business lines: list, add; each code links to its edit page
export default async function EnginesPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requireActor("records:read");
  const t = await getTranslations("inventory");
  const { query, params } = parseSearchParams(engineListQuery, await searchParams);
  const result = await listEngines(actor.caller, query);
  const canEdit = can(actor.role, "records:write");
  const rows = result.data.map((e) => ({ id: e.id, code: e.code, name: itemName(e, actor.locale), description: e.description ?? "", active: e.active }));

  return (
    <>
      <PageHeader title={t("engines.title")} description={t("engines.description")} />
      {rows.length === 0 ? (
        <EmptyState message={t("engines.empty")} />
      ) : (
        <>
          <EnginesTable rows={rows} canEdit={canEdit} />
          <Pagination basePath="/engines" params={params} result={result} />
        </>
      )}
      {canEdit ? (
        <Card title={t("engines.new")} className="mt-6">
          <EngineForm mode="create" initial={{ code: "", name_ko: "", name_zh: "", name_en: "", description: "", active: true }} />
        </Card>
      ) : null}
    </>
  );
}
