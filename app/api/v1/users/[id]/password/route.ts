import { accountAdmin } from "@/lib/auth/user-admin";
import { limitPasswordAttempt } from "@/lib/auth/passwords";
import { issueResetLink, RESET_LINK_TTL_SECONDS, setTemporaryPassword } from "@/lib/data/passwords";
import { handler, ok } from "@/lib/http/handler";
import { requestOrigin } from "@/lib/http/origin";
import { idParams } from "@/lib/schemas/common";
import { passwordResetSchema } from "@/lib/schemas/profile";

export const dynamic = "force-dynamic";

// POST /api/v1/users/:id/password — admins: {"mode":"temporary","password"} sets a temporary password (every session ends; changed at the next sign-in);
// {"mode":"link"} sends Supabase Auth's recovery email, or in embedded mode returns a one-time reset link (shown once, valid one hour)
export const POST = handler({ permission: "users:manage", params: idParams, body: passwordResetSchema }, async ({ req, actor, params, body }) => {
  await limitPasswordAttempt(`admin:${actor.id}`);
  const accounts = accountAdmin();
  if (body.mode === "temporary") {
    // The database checks first (admin, an active user, not oneself), then the auth service sets it.
    const user = await setTemporaryPassword(actor.id, params.id, accounts.passwordsIn === "database" ? body.password : null);
    if (accounts.passwordsIn === "auth") await accounts.setPassword(user.user_id, body.password);
    return ok({ mode: "temporary", user_id: user.user_id, must_change: true });
  }
  if (accounts.passwordsIn === "auth") {
    const issued = await issueResetLink(actor.id, params.id, false);
    // The email's link comes back to this app as the admin reached it (behind a proxy too), on the
    // page that opens the recovery session: app/auth/confirm/route.ts.
    await accounts.sendRecovery(issued.email, `${requestOrigin(req)}/auth/confirm`);
    return ok({ mode: "email", user_id: issued.user_id, email: issued.email });
  }
  const issued = await issueResetLink(actor.id, params.id, true);
  return ok({
    mode: "link",
    user_id: issued.user_id,
    // Relative, so it works whatever host the admin reached the app by; the page shows it whole.
    path: `/reset-password?token=${issued.token}`,
    expires_at: issued.expires_at,
    expires_in: RESET_LINK_TTL_SECONDS,
  });
});
