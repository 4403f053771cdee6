import { authPort, credentialsFrom } from "@/lib/auth";
import { appendCookies } from "@/lib/auth/cookies";
import { limitPasswordAttempt, signInAgain } from "@/lib/auth/passwords";
import { accountAdmin } from "@/lib/auth/user-admin";
import { recordPasswordChange } from "@/lib/data/passwords";
import { AppError } from "@/lib/errors";
import { handler, json } from "@/lib/http/handler";
import { beginLoginAttempt, clientAddress } from "@/lib/http/rate-limit";
import { passwordChangeSchema } from "@/lib/schemas/profile";

export const dynamic = "force-dynamic";

// POST /api/v1/auth/password — change your own password ({current_password, new_password}); every other session ends, this one goes on
// Rate limited and recorded like a sign-in: a wrong current password counts as a failed sign-in.
// A session opened by a recovery link (Supabase) sends only new_password; it answers while the
// user must change the password, as every other route does not.
export const POST = handler({ body: passwordChangeSchema, whilePasswordChangeRequired: true }, async ({ req, actor, body }) => {
  const { secure } = credentialsFrom(req.headers, req.url);
  if (!actor.recovery) {
    if (body.current_password === undefined) {
      throw new AppError("validation_failed", "Enter your current password", [{ path: "current_password", message: "Enter your current password" }]);
    }
    const attempt = await beginLoginAttempt(actor.email, clientAddress(req.headers));
    const proof = await authPort().signIn(actor.email, body.current_password, secure);
    if (!proof) {
      await attempt.failed("invalid_credentials");
      throw new AppError("validation_failed", "The current password is not correct", [{ path: "current_password", message: "The current password is not correct" }]);
    }
    await attempt.succeeded();
  } else {
    await limitPasswordAttempt(`recovery:${actor.id}`);
  }
  const accounts = accountAdmin();
  if (accounts.passwordsIn === "auth") await accounts.setPassword(actor.id, body.new_password);
  // Ends every session of the user, the proof's, the recovery link's and this request's included.
  await recordPasswordChange(actor.id, accounts.passwordsIn === "database" ? body.new_password : null);
  const again = await signInAgain(actor.email, body.new_password, secure);
  const res = json({ data: { changed: true, signed_in: again !== null } });
  if (again) appendCookies(res.headers, again.cookies);
  return res;
});
