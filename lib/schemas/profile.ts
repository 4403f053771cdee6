import "@/lib/zod-setup";
import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

export const roleSchema = z.enum(ROLES);
export const localeSchema = z.enum(["ko", "zh", "en"]);

export const profileSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  display_name: z.string(),
  role: roleSchema,
  customer_id: z.uuid().nullable(),
  locale: localeSchema,
  active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Profile = z.infer<typeof profileSchema>;

export const loginSchema = z.object({
  email: z.string().trim().min(1, "Email is required").max(254).pipe(z.email("Enter a valid email address")),
  password: z.string().min(1, "Password is required").max(200),
});
export type LoginInput = z.infer<typeof loginSchema>;

/** POST /api/v1/auth/logout: "local" ends this session, "global" every session of the user (all devices). */
export const logoutSchema = z.object({ scope: z.enum(["local", "global"]).default("local") });

export const updateMyProfileSchema = z
  .object({
    display_name: z.string().trim().min(1).max(100).optional(),
    locale: localeSchema.optional(),
  })
  .refine((v) => v.display_name !== undefined || v.locale !== undefined, { message: "Nothing to update" });

export const setUserAccessSchema = z
  .object({
    role: roleSchema.optional(),
    customer_id: z.uuid().nullable().optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => v.role !== undefined || v.customer_id !== undefined || v.active !== undefined, { message: "Nothing to update" });

/** A new password: 8 to 72 characters (bcrypt reads 72 bytes; Supabase's default minimum is 6). */
export const newPasswordSchema = z.string().min(8, "Use at least 8 characters").max(72, "Use at most 72 characters");

/**
 * POST /api/v1/auth/password: the current password proves it is the user, not a borrowed session.
 * Only a session opened by a recovery link (Supabase) leaves it out: the link proved the mailbox.
 */
export const passwordChangeSchema = z
  .object({ current_password: z.string().min(1, "Enter your current password").max(200).optional(), new_password: newPasswordSchema })
  .refine((v) => v.current_password !== v.new_password, { path: ["new_password"], message: "Choose a password different from the current one" });

/** POST /api/v1/auth/password/reset: a one-time link's token and the new password. */
export const passwordResetRedeemSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "Not a reset link"), new_password: newPasswordSchema });

/** POST /api/v1/users/:id/password: a temporary password, or a one-time reset link (a recovery email on Supabase). */
export const passwordResetSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("temporary"), password: newPasswordSchema }),
  z.object({ mode: z.literal("link") }),
]);
