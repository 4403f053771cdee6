import { z } from "zod";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import { emailPreferencesSchema, type EmailPreferencesPatch } from "@/lib/schemas/email";
import { actorArg } from "./results";

// The caller's own email preferences (supabase/migrations/20261207150100_email_outbox.sql).

export const fnEmailPreferencesGet = defineFunction("email_preferences_get", z.object(actorArg), emailPreferencesSchema);
export const fnEmailPreferencesUpdate = defineFunction(
  "email_preferences_update",
  z.object({ p_patch: z.record(z.string(), z.boolean()), ...actorArg }),
  emailPreferencesSchema,
);

export function getEmailPreferences(as: Caller) {
  return call(fnEmailPreferencesGet, {}, as);
}

export function updateEmailPreferences(as: Caller, patch: EmailPreferencesPatch, idem?: Idempotency) {
  const p = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Record<string, boolean>;
  return callWrite(fnEmailPreferencesUpdate, { p_patch: p }, as, idem);
}
