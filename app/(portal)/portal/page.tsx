import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireActor } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Customer portal" };

// /portal — customer landing page
export default async function PortalPage() {
  const actor = await requireActor("portal:access");
  const t = await getTranslations("portal");
  return (
    <>
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-slate-700">{actor.email}</p>
    </>
  );
}
