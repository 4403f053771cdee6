import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LocationsTable } from "@/components/inventory/catalog-tables";
import { LocationForm } from "@/components/inventory/location-form";
import { parseSearchParams, type RawSearchParams } from "@/components/toolkit/list-url";
import { Card, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState } from "@/components/ui/states";
import { requireActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { listLocations } from "@/lib/data/locations";
import { locationListQuery } from "@/lib/schemas/inventory";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("inventory");
  return { title: t("locations.title") };
}

// /locations — warehouses: list, add; each code links to its edit page
export default async function LocationsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requireActor("records:read");
  const t = await getTranslations("inventory");
  const { query, params } = parseSearchParams(locationListQuery, await searchParams);
  const result = await listLocations(actor.caller, query);
  const canEdit = can(actor.role, "records:write");
  const rows = result.data.map((l) => ({ id: l.id, code: l.code, name: l.name, country: l.country, active: l.active }));

  return (
    <>
      <PageHeader title={t("locations.title")} description={t("locations.description")} />
      {rows.length === 0 ? (
        <EmptyState message={t("locations.empty")} />
      ) : (
        <>
          <LocationsTable rows={rows} canEdit={canEdit} />
          <Pagination basePath="/locations" params={params} result={result} />
        </>
      )}
      {canEdit ? (
        <Card title={t("locations.new")} className="mt-6">
          <LocationForm mode="create" initial={{ code: "", name: "", country: "KR", active: true }} />
        </Card>
      ) : null}
    </>
  );
}
