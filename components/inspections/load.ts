import "server-only";
import { notFound } from "next/navigation";
import type { Actor } from "@/lib/auth";
import { getInspection, type Inspection } from "@/lib/data/inspections";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/schemas/common";

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

/** The application of an /inspections/[id] or /portal/inspections/[id] URL. */
export function loadInspection(actor: Actor, id: string): Promise<Inspection> {
  return orNotFound(id, () => getInspection(actor.caller, id));
}
