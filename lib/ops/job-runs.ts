import "server-only";
import { z } from "zod";
import { call, defineFunction, service } from "@/lib/db";
import { log } from "@/lib/log";
import type { ScheduledJob } from "./scheduled-jobs";

// Every run of a scheduled job is recorded with its outcome (public.ops_job_runs), for the
// status page. The record is written after the job; a job that throws is recorded as failed and
// the error goes on to the route (which answers it as before).

export const fnJobRunRecord = defineFunction(
  "ops_job_run_record",
  z.object({
    p_job: z.string(),
    p_started_at: z.string(),
    p_finished_at: z.string(),
    p_ok: z.boolean(),
    p_details: z.unknown().optional(),
    p_error: z.string().nullable().optional(),
  }),
  z.number().int(),
);

async function record(job: string, started: Date, ok: boolean, details: unknown, error: string | null): Promise<void> {
  try {
    await call(fnJobRunRecord, { p_job: job, p_started_at: started.toISOString(), p_finished_at: new Date().toISOString(), p_ok: ok, p_details: details ?? null, p_error: error }, service);
  } catch (e) {
    // The job's own outcome matters more than its record; the log line still has it.
    log.warn("ops.job_run_not_recorded", { job, error: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * Runs a job and records the run. `failed(result)` says whether a result that returned is a
 * failure all the same (the digest's Slack refusing).
 */
export async function recordedJob<T>(job: ScheduledJob, work: () => Promise<T>, failed: (result: T) => string | null = () => null): Promise<T> {
  const started = new Date();
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await record(job, started, false, null, error instanceof Error ? error.message : String(error));
    throw error;
  }
  const failure = failed(result);
  await record(job, started, failure === null, result, failure);
  return result;
}
