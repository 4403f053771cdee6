import type { Metadata } from "next";
import { AppHeader } from "@/components/app-header";
import { requireActor } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Customer portal" };

// /portal — customer landing page
export default async function PortalPage() {
  const actor = await requireActor("portal:access");
  return (
    <>
      <AppHeader actor={actor} area="Customer portal" />
      <main className="mx-auto max-w-6xl px-4 py-8">
        <h1 className="text-2xl font-semibold">Customer portal</h1>
        <p className="mt-2 text-slate-600">
          Signed in as <strong>{actor.email}</strong>.
        </p>
      </main>
    </>
  );
}
