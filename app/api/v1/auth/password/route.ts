import { authPort, credentialsFrom } from "@/lib/auth";
import { appendCookies } from "@/lib/auth/cookies";
import { signInAgain } from "@/lib/auth/passwords";
import { accountAdmin } from "@/lib/auth/user-admin";
import { recordPasswordChange } from "@/lib/data/passwords";
import { AppError } from "@/lib/errors";
import { handler, json } from "@/lib/http/handler";
import { beginLoginAttempt, clientAddress } from "@/lib/http/rate-limit";
import { passwordChangeSchema } from "@/lib/schemas/profile";

export const dynamic = "force-dynamic";

// POST /api/v1/auth/password — change your own password ({current_password, new_password}); every other session ends, this one goes on
// Rate limited and recorded like a sign-in: a wrong current password counts as a failed sign-in.
export const POST = handler({ body: passwordChangeSchema }, async ({ req, actor, body }) => {
  const { secure } = credentialsFrom(req.headers, req.url);
  const attempt = await beginLoginAttempt(actor.email, clientAddress(req.headers));
  const proof = await authPort().signIn(actor.email, body.current_password, secure);
  if (!proof) {
    await attempt.failed("invalid_credentials");
    throw new AppError("validation_failed", "The current password is not correct", [{ path: "current_password", message: "The current password is not correct" }]);
  }
  await attempt.succeeded();
  const accounts = accountAdmin();
  if (accounts.passwordsIn === "auth") await accounts.setPassword(actor.id, body.new_password);
  // Ends every session of the user, the proof's and this request's included.
  await recordPasswordChange(actor.id, accounts.passwordsIn === "database" ? body.new_password : null);
  const again = await signInAgain(actor.email, body.new_password, secure);
  const res = json({ data: { changed: true, signed_in: again !== null } });
  if (again) appendCookies(res.headers, again.cookies);
  return res;
});
