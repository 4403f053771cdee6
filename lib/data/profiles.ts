import { z } from "zod";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import { profileSchema, roleSchema, localeSchema } from "@/lib/schemas/profile";
import { rateLimitResult } from "./rate-limits";

// Profiles: the app's view of a user (role, company, language, active).

const actorArg = { p_actor: z.uuid().optional() };

/** One's own profile, and whether one must change the password before anything else (a temporary one). */
export const myProfileSchema = profileSchema.extend({ must_change_password: z.boolean().default(false) });
export type MyProfile = z.infer<typeof myProfileSchema>;

export const fnMe = defineFunction("me", z.object(actorArg), myProfileSchema.nullable());

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

/**
 * The caller's profile and, when it is active, this request counted in their rate-limit bucket
 * (`read:user:` or `write:user:`), and a read also in its client address's bucket: one transaction.
 */
export const fnMeCounting = defineFunction(
  "me_counting",
  z.object({
    p_kind: z.enum(["read", "write"]),
    p_limit: z.number().int().min(1).max(100_000),
    p_window_seconds: z.number().int().min(60).max(3600),
    p_cost: z.number().int().min(1).max(100),
    p_address: z.string().min(2).max(64).optional(),
    p_address_limit: z.number().int().min(0).max(1_000_000),
  }),
  z.object({ profile: myProfileSchema.nullable(), rate: rateLimitResult.nullable(), address_rate: rateLimitResult.nullable() }),
);

export type RequestCount = {
  kind: "read" | "write";
  limit: number;
  windowSeconds: number;
  cost: number;
  /** Reads only: the client's address, when it is known, and its limit. */
  address?: string;
  addressLimit: number;
};

export function getMyProfileCounting(as: Caller, count: RequestCount) {
  return call(
    fnMeCounting,
    {
      p_kind: count.kind,
      p_limit: count.limit,
      p_window_seconds: count.windowSeconds,
      p_cost: count.cost,
      p_address: count.address,
      p_address_limit: count.addressLimit,
    },
    as,
  );
}

export function getMyProfile(as: Caller) {
  return call(fnMe, {}, as);
}

export function updateMyProfile(as: Caller, input: { display_name?: string; locale?: "ko" | "zh" | "en" }, idempotency?: Idempotency) {
  return callWrite(fnUpdateMyProfile, { p_display_name: input.display_name, p_locale: input.locale }, as, idempotency);
}
