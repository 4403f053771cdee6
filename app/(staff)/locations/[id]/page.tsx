import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LocationForm } from "@/components/inventory/location-form";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { orNotFound, requireActor } from "@/lib/auth/page";
import { getLocation } from "@/lib/data/locations";

type Props = { params: Promise<{ id: string }> };

const loadLocation = (caller: Parameters<typeof getLocation>[0], id: string) => orNotFound(id, () => getLocation(caller, id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [actor, t, { id }] = await Promise.all([requireActor("records:read"), getTranslations("inventory"), params]);
  const location = await loadLocation(actor.caller, id);
  return { title: `${location.code} · ${t("locations.title")}` };
}

// /locations/:id — change a warehouse
export default async function LocationPage({ params }: Props) {
  const actor = await requireActor("records:write");
  const t = await getTranslations("inventory");
  const location = await loadLocation(actor.caller, (await params).id);
  return (
    <>
      <PageHeader title={location.name} description={location.code} actions={<LinkButton href="/locations">{t("locations.backToList")}</LinkButton>} />
      <Card title={t("locations.editTitle")}>
        <LocationForm
          key={String(location.updated_at ?? location.id)}
          mode="edit"
          locationId={location.id}
          initial={{ code: location.code, name: location.name, country: location.country, active: location.active }}
        />
      </Card>
    </>
  );
}
