import "@/lib/zod-setup";
import { z } from "zod";

// Which emails a user receives (GET/PATCH /api/v1/auth/me/email-preferences). Each role receives
// some kinds: customers the inspection and thread emails, approvers the daily digest.
export const EMAIL_PREFERENCE_KINDS = ["inspection_scheduled", "inspection_report_ready", "inspection_completed", "thread_message", "approval_digest"] as const;
export type EmailPreferenceKind = (typeof EMAIL_PREFERENCE_KINDS)[number];

export const emailPreferencesSchema = z.object({
  preferences: z.partialRecord(z.enum(EMAIL_PREFERENCE_KINDS), z.boolean()),
});
export type EmailPreferences = z.infer<typeof emailPreferencesSchema>;

export const emailPreferencesPatchSchema = z
  .strictObject({
    inspection_scheduled: z.boolean().optional(),
    inspection_report_ready: z.boolean().optional(),
    inspection_completed: z.boolean().optional(),
    thread_message: z.boolean().optional(),
    approval_digest: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Nothing to update" });
export type EmailPreferencesPatch = z.infer<typeof emailPreferencesPatchSchema>;
