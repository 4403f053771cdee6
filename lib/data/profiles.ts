import { z } from "zod";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import { profileSchema, roleSchema, localeSchema } from "@/lib/schemas/profile";
import { rateLimitResult } from "./rate-limits";

// Profiles: the app's view of a user (role, company, language, active).

const actorArg = { p_actor: z.uuid().optional() };

export const fnMe = defineFunction("me", z.object(actorArg), profileSchema.nullable());

export const fnUpdateMyProfile = defineFunction(
  "update_my_profile",
  z.object({ p_display_name: z.string().optional(), p_locale: localeSchema.optional(), ...actorArg }),
  profileSchema,
);

export const fnAdminSetUserAccess = defineFunction(
  "admin_set_user_access",
  z.object({
    p_user_id: z.uuid(),
    p_role: roleSchema.optional(),
    p_customer_id: z.uuid().nullable().optional(),
    p_active: z.boolean().optional(),
    ...actorArg,
  }),
  profileSchema,
);

/** The caller's profile and, when it is active, one write counted in their rate-limit bucket. */
export const fnMeCountingWrite = defineFunction(
  "me_counting_write",
  z.object({ p_limit: z.number().int().min(1), p_window_seconds: z.number().int().min(1).max(3600) }),
  z.object({ profile: profileSchema.nullable(), rate: rateLimitResult.nullable() }),
);

export function getMyProfileCountingWrite(as: Caller, limit: number, windowSeconds: number) {
  return call(fnMeCountingWrite, { p_limit: limit, p_window_seconds: windowSeconds }, as);
}

export function getMyProfile(as: Caller) {
  return call(fnMe, {}, as);
}

export function updateMyProfile(as: Caller, input: { display_name?: string; locale?: "ko" | "zh" | "en" }, idempotency?: Idempotency) {
  return callWrite(fnUpdateMyProfile, { p_display_name: input.display_name, p_locale: input.locale }, as, idempotency);
}
