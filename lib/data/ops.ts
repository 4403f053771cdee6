import "server-only";
import { z } from "zod";
import { call, defineFunction, service } from "@/lib/db";
import { forActor } from "./results";

// What /admin/status shows (public.ops_status, admins only: the function checks the actor again).

const num = z.coerce.number();
export const opsStatusSchema = z.object({
  traffic: z.array(z.object({ hour: z.string(), requests: num, errors_5xx: num, histogram: z.array(num).nullable() })),
  samples: z.array(z.object({ at: z.string(), connections: num, max_connections: num, database_bytes: num })),
  alerts: z.array(
    z.object({
      rule: z.string(),
      status: z.enum(["ok", "firing"]),
      value: num.nullable(),
      threshold: num.nullable(),
      summary: z.string().nullable(),
      fired_at: z.string().nullable(),
      recovered_at: z.string().nullable(),
      last_notified_at: z.string().nullable(),
      checked_at: z.string().nullable(),
    }),
  ),
  history: z.array(
    z.object({
      id: num,
      rule: z.string(),
      kind: z.enum(["fired", "reminder", "recovered"]),
      value: num.nullable(),
      threshold: num.nullable(),
      summary: z.string().nullable(),
      notified: z.boolean().nullable(),
      notify_error: z.string().nullable(),
      created_at: z.string(),
    }),
  ),
  backups: z.array(z.object({ id: num, kind: z.string(), mode: z.string(), target: z.string(), ok: z.boolean(), rows_copied: num.nullable(), error: z.string().nullable(), finished_at: z.string() })),
  last_backup: z.object({ kind: z.string(), mode: z.string(), target: z.string(), finished_at: z.string(), rows_copied: num.nullable() }).nullable(),
  jobs: z.array(z.object({ id: num, job: z.string(), started_at: z.string(), finished_at: z.string(), ok: z.boolean(), error: z.string().nullable() })),
  // Per job: its last run and last failure (kept 30 days), its runs and failures in the window.
  job_summary: z.array(
    z.object({
      job: z.string(),
      last_run: z.object({ started_at: z.string(), finished_at: z.string(), ok: z.boolean() }),
      last_failure: z.object({ started_at: z.string(), error: z.string().nullable() }).nullable(),
      runs: num,
      failures: num,
    }),
  ),
  // The email outbox: waiting, failed for good, sent in the window, the oldest waiting one's queueing time.
  mail: z.object({ pending: num, failed: num, sent: num, oldest_pending_at: z.string().nullable() }),
  maintenance: z.object({ active: z.boolean(), message: z.string().nullable(), ends_at: z.string().nullable(), updated_at: z.string().nullable() }),
});
export type OpsStatus = z.infer<typeof opsStatusSchema>;

export const fnOpsStatus = defineFunction("ops_status", z.object({ p_since: z.string(), p_actor: z.uuid() }), opsStatusSchema);

/** The last `hours` of figures, with the current alerts, history, backups, job runs and the email outbox. */
export function getOpsStatus(actor: { id: string }, hours: number): Promise<OpsStatus> {
  const since = new Date(Date.now() - hours * 3_600_000);
  return call(fnOpsStatus, { p_since: since.toISOString(), ...forActor(actor) }, service);
}

export const fnBackupRecord = defineFunction(
  "ops_backup_record",
  z.object({ p_kind: z.enum(["database", "files"]), p_mode: z.string(), p_target: z.string(), p_ok: z.boolean(), p_rows: z.number().int().nullable().optional(), p_error: z.string().nullable().optional() }),
  z.coerce.number(),
);
