import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { redirect } from "next/navigation";
import { authenticate, credentialsFrom, type Actor } from "@/lib/auth";
import { can, landingPath, type Action } from "@/lib/auth/permissions";
import { setMonitoringUser } from "@/lib/observability/report";

// Server components ask here who is signed in. Pages that need a permission send everyone else
// to where they belong: signed-out users to /login, others to their own landing page.

/** The signed-in user of this request (verified once per request, however many callers ask). */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const h = await headers();
  const host = h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto") ?? "http";
  const actor = await authenticate(credentialsFrom(h, `${proto}://${host}/`));
  // A page that fails after this reports the user's id (and only the id) to Sentry.
  setMonitoringUser(actor?.id);
  return actor;
});

export async function requireActor(permission?: Action): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  if (permission && !can(actor.role, permission)) redirect(landingPath(actor.role));
  // A temporary password set by an admin (or a recovery link's session) is changed before anything else is shown.
  if (actor.mustChangePassword) redirect("/account/password?required=1");
  return actor;
}
