import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { authenticate, credentialsFrom, type Actor } from "@/lib/auth";
import { can, landingPath, type Action } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { setMonitoringUser } from "@/lib/observability/report";
import { idSchema } from "@/lib/schemas/common";

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

/**
 * Runs a read of the record named in a URL, or renders the not-found page: for ids that are not
 * UUIDs, that do not exist, and (the database answers not_found to the user's own session) that
 * belong to another company — the same page in every case, so a customer learns nothing from it.
 */
export async function orNotFound<T>(id: string, read: () => Promise<T>): Promise<T> {
  if (!idSchema.safeParse(id).success) notFound();
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && (error.code === "not_found" || error.code === "forbidden")) notFound();
    throw error;
  }
}
