import "server-only";
import { z } from "zod";
import { call, defineFunction, service, transportOpened } from "@/lib/db";
import { databaseMode, env } from "@/lib/env";
import { log } from "@/lib/log";

// Maintenance mode: on in the database (an admin switched it on at /admin/status) or by
// MAINTENANCE_MODE=1. Every request asks isMaintenance(); the answer is kept CACHE_MS in memory,
// so the database is asked at most once per instance every few seconds. While the database
// cannot be reached the last answer stands (off if there was none): an outage must not also
// lock everyone out by itself, and MAINTENANCE_MODE=1 works without the database.

export const maintenanceState = z.object({
  active: z.boolean(),
  message: z.string().nullable(),
  ends_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});
export type MaintenanceState = z.infer<typeof maintenanceState> & { source: "database" | "env" | "none" };

export const fnMaintenanceState = defineFunction("ops_maintenance_state", z.object({}), maintenanceState);
export const fnMaintenanceSet = defineFunction(
  "ops_maintenance_set",
  z.object({ p_active: z.boolean(), p_message: z.string().nullable().optional(), p_ends_at: z.string().nullable().optional(), p_actor: z.uuid() }),
  maintenanceState,
);

const CACHE_MS = 5_000;
const OFF: MaintenanceState = { active: false, message: null, ends_at: null, updated_at: null, source: "none" };

const cache = globalThis as unknown as { __dulyMaintenance?: { at: number; value: Promise<MaintenanceState> }; __dulyMaintenanceLast?: MaintenanceState };

async function load(): Promise<MaintenanceState> {
  const forced = env().MAINTENANCE_MODE;
  // The check never opens the embedded database or a pool by itself (the proxy asks on every
  // page, before anything else has): the server opens it at start (instrumentation.ts), and
  // Supabase's transport is only an HTTP client.
  if (!transportOpened() && databaseMode() !== "supabase") return forced ? { ...OFF, active: true, source: "env" } : OFF;
  try {
    const row = await call(fnMaintenanceState, {}, service);
    const value: MaintenanceState = { ...row, source: "database" };
    if (forced && !row.active) return { ...row, active: true, source: "env" };
    cache.__dulyMaintenanceLast = value;
    return value;
  } catch (error) {
    log.warn("ops.maintenance_state_unavailable", { error: error instanceof Error ? error.message : String(error) });
    if (forced) return { ...OFF, active: true, source: "env" };
    return cache.__dulyMaintenanceLast ?? OFF;
  }
}

/** The maintenance state, at most CACHE_MS old. */
export function maintenance(now = Date.now()): Promise<MaintenanceState> {
  const hit = cache.__dulyMaintenance;
  if (hit && now - hit.at < CACHE_MS) return hit.value;
  const value = load();
  cache.__dulyMaintenance = { at: now, value };
  return value;
}

/** Forget the cached state (after a switch, and in tests). */
export function forgetMaintenance(): void {
  cache.__dulyMaintenance = undefined;
  cache.__dulyMaintenanceLast = undefined;
}

export async function setMaintenance(actorId: string, input: { active: boolean; message?: string | null; ends_at?: string | null }): Promise<MaintenanceState> {
  const row = await call(fnMaintenanceSet, { p_active: input.active, p_message: input.message ?? null, p_ends_at: input.ends_at ?? null, p_actor: actorId }, service);
  forgetMaintenance();
  log.info("ops.maintenance", { active: row.active, actorId });
  return { ...row, source: "database" };
}

/** Seconds a client should wait: until the expected end (at least a minute), else five minutes. */
export function retryAfterSeconds(state: Pick<MaintenanceState, "ends_at">, now = Date.now()): number {
  const end = state.ends_at ? Date.parse(state.ends_at) : NaN;
  if (Number.isFinite(end) && end > now) return Math.max(60, Math.ceil((end - now) / 1000));
  return 300;
}

// Paths that keep answering in maintenance: health (monitors must see it), the scheduler's
// jobs, and signing in and out (an admin must be able to sign in to switch it off).
const EXEMPT = /^\/(?:healthz$|health(?:\/|$)|api\/health$|api\/cron\/|api\/v1\/auth\/(?:login|logout)$|api\/v1\/version$|login$|monitoring(?:\/|$))/;

export function exemptFromMaintenance(pathname: string): boolean {
  return EXEMPT.test(pathname);
}
