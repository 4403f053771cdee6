import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth";
import { accountAdmin } from "@/lib/auth/user-admin";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { localeSchema, roleSchema } from "@/lib/schemas/profile";
import type { UserCreate, UserListQuery, UserPatch } from "@/lib/schemas/users";
import { setTemporaryPassword } from "./passwords";
import { actorArg, pageOf } from "./results";

// Users as administrators manage them: list, create (database checks, then the auth service),
// change access and name, and the companies a customer user can belong to. Admin only; the
// database functions check that again.

export const userRow = z.looseObject({
  id: z.uuid(),
  email: z.string(),
  display_name: z.string(),
  role: roleSchema,
  customer_id: z.uuid().nullable(),
  customer_name: z.string().nullable(),
  customer_code: z.string().nullable(),
  locale: localeSchema,
  active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  last_sign_in_at: z.string().nullable(),
  email_confirmed: z.boolean(),
  created_by: z.string().nullable(),
});
export type UserRow = z.infer<typeof userRow>;

export const customerOption = z.object({ id: z.uuid(), code: z.string(), name: z.string() });
export type CustomerOption = z.infer<typeof customerOption>;

const preparedUser = z.object({
  email: z.string(),
  display_name: z.string(),
  role: roleSchema,
  customer_id: z.uuid().nullable(),
  locale: localeSchema,
  created_by: z.uuid(),
});

export const fnUsersList = defineFunction(
  "users_list",
  z.object({
    p_q: z.string().optional(),
    p_role: roleSchema.optional(),
    p_active: z.boolean().optional(),
    p_page: z.number().int(),
    p_limit: z.number().int(),
    ...actorArg,
  }),
  pageOf(userRow),
);
export const fnUserGet = defineFunction("user_get", z.object({ p_id: z.uuid().optional(), p_email: z.string().optional(), ...actorArg }), userRow);
export const fnUserCreatePrepare = defineFunction(
  "user_create_prepare",
  z.object({
    p_email: z.string(),
    p_display_name: z.string().optional(),
    p_role: roleSchema,
    p_customer_id: z.uuid().nullable().optional(),
    p_locale: localeSchema.optional(),
    ...actorArg,
  }),
  preparedUser,
);
export const fnUserUpdate = defineFunction(
  "user_update",
  z.object({
    p_user_id: z.uuid(),
    p_role: roleSchema.optional(),
    p_customer_id: z.uuid().nullable().optional(),
    p_active: z.boolean().optional(),
    p_display_name: z.string().optional(),
    ...actorArg,
  }),
  userRow,
);
export const fnUserCustomerOptions = defineFunction("user_customer_options", z.object(actorArg), z.array(customerOption));

export function listUsers(as: Caller, q: UserListQuery) {
  return call(fnUsersList, { p_q: q.q, p_role: q.role, p_active: q.active, p_page: q.page, p_limit: q.limit }, as);
}

export function getUser(as: Caller, id: string) {
  return call(fnUserGet, { p_id: id }, as);
}

export function listCustomerOptions(as: Caller) {
  return call(fnUserCustomerOptions, {}, as);
}

/**
 * Creates a user: the database checks the request (admin, role and company, email free), the
 * auth service creates the account with the role in app_metadata, and its trigger the profile.
 *
 * With an Idempotency-Key the check runs through rpc_idempotent, which claims the key. A retry
 * then finds the check replayed: if the first attempt got as far as the account, that user is
 * the answer; if it stopped before, the account is created now.
 */
export async function createUser(actor: Actor, input: UserCreate, idem?: Idempotency): Promise<UserRow> {
  const accounts = accountAdmin();
  if (input.invite && !accounts.supportsInvite) {
    throw new AppError("validation_failed", "Invitations need Supabase Auth; set an initial password", [
      { path: "invite", message: "Invitations need Supabase Auth; set an initial password" },
    ]);
  }
  const prepared = await callWrite(
    fnUserCreatePrepare,
    {
      p_email: input.email,
      p_display_name: input.display_name,
      p_role: input.role,
      p_customer_id: input.customer_id ?? null,
      p_locale: input.locale,
    },
    actor.caller,
    idem,
  );
  if (idem?.replayed) {
    const existing = await call(fnUserGet, { p_email: prepared.email }, actor.caller).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "not_found") return null;
      throw error;
    });
    if (existing && existing.created_by === prepared.created_by) return existing;
    if (existing) throw new AppError("conflict", "A user with this email already exists", [{ path: "email", message: "A user with this email already exists" }]);
    // The first attempt never reached the auth service: this one really creates the user.
    idem.replayed = false;
  }
  const { id } = await accounts.createAccount({
    email: prepared.email,
    password: input.invite ? undefined : input.password,
    invite: input.invite,
    appMetadata: { role: prepared.role, customer_id: prepared.customer_id, locale: prepared.locale, created_by: prepared.created_by },
    userMetadata: { display_name: prepared.display_name },
  });
  // An initial password is one the admin knows: like a temporary one, the user replaces it
  // before anything else unless the admin said otherwise. The password itself is already set
  // (null: only the flag, and the security event naming the admin).
  if (!input.invite && input.must_change_password !== false) await setTemporaryPassword(actor.id, id, null);
  return getUser(actor.caller, id);
}

/**
 * Changes a user's role, company, active flag or name. The database keeps the last active admin
 * (409 last_admin); the auth service's own sign-in block follows the active flag.
 */
export async function updateUser(actor: Actor, id: string, patch: UserPatch, idem?: Idempotency): Promise<UserRow> {
  const row = await callWrite(
    fnUserUpdate,
    {
      p_user_id: id,
      p_role: patch.role,
      p_customer_id: patch.customer_id ?? undefined,
      p_active: patch.active,
      p_display_name: patch.display_name,
    },
    actor.caller,
    idem,
  );
  if (patch.active !== undefined) {
    try {
      await accountAdmin().setSignInBlocked(id, !row.active);
    } catch (error) {
      // The profile is already changed and is what every request checks; a failed ban only
      // delays the auth service's own refusal. Report it rather than undo the change.
      log.error("users.ban_sync_failed", { userId: id, active: row.active, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return row;
}
