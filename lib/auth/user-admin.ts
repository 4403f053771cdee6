import "server-only";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import { call, defineFunction, service } from "@/lib/db";
import { databaseMode, env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

// Accounts in the auth service, for user administration. Supabase: the Auth admin API with the
// service-role key (inserting into auth.users by hand is not supported there). Embedded and plain
// Postgres: auth.admin_create_user from the Supabase shim. Either way the foundation's trigger
// makes the profile from app_metadata, which only the service role can write.

export type NewAccount = {
  email: string;
  /** Absent when the user is invited (Supabase only): they choose a password from the email. */
  password?: string;
  invite?: boolean;
  /** role, customer_id, locale, created_by: read by the profile and attribution triggers. */
  appMetadata: Record<string, unknown>;
  /** display_name */
  userMetadata: Record<string, unknown>;
};

export interface AccountAdmin {
  readonly supportsInvite: boolean;
  createAccount(account: NewAccount): Promise<{ id: string }>;
  /**
   * Keeps the auth service's own sign-in block in step with the profile's active flag. The
   * profile is what the app trusts (login answers account_disabled and every request reloads it);
   * this only matters where the auth service issues sessions itself.
   */
  setSignInBlocked(userId: string, blocked: boolean): Promise<void>;
  /**
   * Where passwords are set: "database" (embedded and plain Postgres: the SQL functions set
   * auth.users.encrypted_password themselves) or "auth" (Supabase: setPassword below, through the
   * Auth admin API, and the database functions get a null password).
   */
  readonly passwordsIn: "database" | "auth";
  setPassword(userId: string, password: string): Promise<void>;
  /** Supabase: Auth's recovery email. Embedded there is no mail: the admin hands over a one-time link instead. */
  sendRecovery(email: string, redirectTo: string): Promise<void>;
}

/** Details in the API's validation shape, so that forms show the message at the field. */
const field = (path: string, message: string) => [{ path, message }];

// ----- embedded and plain Postgres ---------------------------------------------------------------

const fnAdminCreateUser = defineFunction(
  "auth.admin_create_user",
  z.object({
    p_email: z.string(),
    p_password: z.string(),
    p_app_metadata: z.record(z.string(), z.unknown()),
    p_user_metadata: z.record(z.string(), z.unknown()),
  }),
  z.object({ id: z.uuid() }).loose(),
);

export const embeddedAccounts: AccountAdmin = {
  supportsInvite: false,

  async createAccount(account) {
    if (account.invite || account.password === undefined) {
      throw new AppError("validation_failed", "Invitations need Supabase Auth; set an initial password", field("password", "Set an initial password"));
    }
    try {
      const user = await call(
        fnAdminCreateUser,
        { p_email: account.email, p_password: account.password, p_app_metadata: account.appMetadata, p_user_metadata: account.userMetadata },
        service,
      );
      return { id: user.id };
    } catch (error) {
      if (error instanceof AppError && error.code === "conflict") {
        throw new AppError("conflict", "A user with this email already exists", field("email", "A user with this email already exists"));
      }
      throw error;
    }
  },

  // Nothing to do: embedded sign-in checks the profile (account_disabled), and every request
  // reloads the profile, so a deactivated user's existing session stops working at once.
  async setSignInBlocked() {},

  passwordsIn: "database",
  // The SQL functions set it (lib/data/passwords.ts).
  async setPassword() {},
  async sendRecovery() {
    throw new AppError("invalid_state", "There is no mail in embedded mode; hand over a one-time reset link");
  },
};

// ----- Supabase ----------------------------------------------------------------------------------

/** Long enough to mean "until an admin lifts it" (100 years); 'none' lifts it. */
export const BAN_FOREVER = "876000h";

type AuthErrorLike = { status?: number; code?: string; message: string };

/** Auth admin API errors as the app's errors; anything unexpected stays an internal error. */
export function accountError(error: AuthErrorLike): Error {
  const code = error.code ?? "";
  if (code === "email_exists" || code === "user_already_exists" || code === "identity_already_exists") {
    return new AppError("conflict", "A user with this email already exists", field("email", "A user with this email already exists"));
  }
  if (code === "weak_password") return new AppError("validation_failed", "The password is too weak", field("password", "The password is too weak"));
  if (code === "email_address_invalid" || code === "email_address_not_authorized") {
    return new AppError("validation_failed", "This email address cannot be used", field("email", "This email address cannot be used"));
  }
  if (code === "user_not_found") return new AppError("not_found", "User not found");
  if (code === "over_email_send_rate_limit" || code === "over_request_rate_limit" || error.status === 429) {
    return new AppError("rate_limited", "Too many requests to the auth service; try again shortly");
  }
  return new Error(`Supabase Auth admin API: ${error.status ?? "?"} ${code} ${error.message}`);
}

export function supabaseAccounts(client: SupabaseClient): AccountAdmin {
  return {
    supportsInvite: true,

    async createAccount(account) {
      // app_metadata cannot be set through an invitation (its data goes to user_metadata), so the
      // user is created first, unconfirmed, and then invited: GoTrue re-sends the invitation to an
      // existing unconfirmed user.
      const { data, error } = await client.auth.admin.createUser({
        email: account.email,
        ...(account.invite ? {} : { password: account.password, email_confirm: true }),
        app_metadata: account.appMetadata,
        user_metadata: account.userMetadata,
      });
      if (error || !data.user) throw accountError(error ?? { message: "no user returned" });
      if (account.invite) {
        const invited = await client.auth.admin.inviteUserByEmail(account.email);
        if (invited.error) {
          // Leave nothing half made: a retry must not find the email taken.
          const removed = await client.auth.admin.deleteUser(data.user.id).catch((e: unknown) => ({ error: e }));
          if (removed.error) log.error("users.invite_cleanup_failed", { userId: data.user.id });
          throw accountError(invited.error);
        }
      }
      return { id: data.user.id };
    },

    async setSignInBlocked(userId, blocked) {
      const { error } = await client.auth.admin.updateUserById(userId, { ban_duration: blocked ? BAN_FOREVER : "none" });
      if (error) throw accountError(error);
    },

    passwordsIn: "auth",
    async setPassword(userId, password) {
      const { error } = await client.auth.admin.updateUserById(userId, { password });
      if (error) throw accountError(error);
    },
    async sendRecovery(email, redirectTo) {
      const { error } = await client.auth.resetPasswordForEmail(email, { redirectTo });
      if (error) throw accountError(error);
    },
  };
}

const holder = globalThis as unknown as { __dulyAccounts?: AccountAdmin };

/** The account administration of this deployment, chosen like the database (lib/env.ts). */
export function accountAdmin(): AccountAdmin {
  if (databaseMode() !== "supabase") return embeddedAccounts;
  if (!holder.__dulyAccounts) {
    const e = env();
    const client = createClient(e.NEXT_PUBLIC_SUPABASE_URL!, e.SUPABASE_SERVICE_ROLE_KEY!, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    holder.__dulyAccounts = supabaseAccounts(client);
  }
  return holder.__dulyAccounts;
}

/** Forget the cached Supabase client (tests that switch the environment). */
export function resetAccountAdmin(): void {
  holder.__dulyAccounts = undefined;
}
