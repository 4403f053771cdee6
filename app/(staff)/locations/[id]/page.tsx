import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LocationForm } from "@/components/inventory/location-form";
import { LinkButton } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";
import { getLocation } from "@/lib/data/locations";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/schemas/common";

type Props = { params: Promise<{ id: string }> };

async function loadLocation(caller: Parameters<typeof getLocation>[0], id: string) {
  if (!idSchema.safeParse(id).success) notFound();
  try {
    return await getLocation(caller, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

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
