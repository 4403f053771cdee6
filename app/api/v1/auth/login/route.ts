import { authPort, callerFor } from "@/lib/auth";
import { appendCookies } from "@/lib/auth/cookies";
import { mustChangePassword } from "@/lib/data/passwords";
import { getMyProfile } from "@/lib/data/profiles";
import { AppError } from "@/lib/errors";
import { handler, json } from "@/lib/http/handler";
import { beginLoginAttempt, clientAddress } from "@/lib/http/rate-limit";
import { loginSchema } from "@/lib/schemas/profile";
import { credentialsFrom } from "@/lib/auth";

export const dynamic = "force-dynamic";

// POST /api/v1/auth/login — sign in with email and password; sets the session cookie
// Rate limited per client address, per email and address, and per email (lib/http/rate-limit.ts); failures are security events.
export const POST = handler({ auth: "none", body: loginSchema }, async ({ req, body }) => {
  const { secure } = credentialsFrom(req.headers, req.url);
  const attempt = await beginLoginAttempt(body.email, clientAddress(req.headers));
  const result = await authPort().signIn(body.email, body.password, secure);
  if (!result) {
    await attempt.failed("invalid_credentials");
    throw new AppError("invalid_credentials", "The email or password is incorrect");
  }
  const profile = await getMyProfile(callerFor(result.session));
  if (!profile || !profile.active) {
    // The auth service made a session before the profile said no: end it, nothing is handed out.
    await authPort().signOut({ cookies: new Map(), authorization: `Bearer ${result.session.accessToken}`, secure });
    await attempt.failed("account_disabled");
    throw new AppError("account_disabled", "This account has been deactivated");
  }
  await attempt.succeeded();
  const res = json({
    data: {
      user: { id: profile.id, email: profile.email, role: profile.role, customer_id: profile.customer_id },
      // A temporary password: the app sends the user to /account/password first.
      must_change_password: await mustChangePassword(profile.id),
      session: { access_token: result.session.accessToken, token_type: "bearer", expires_at: result.session.expiresAt },
    },
  });
  appendCookies(res.headers, result.cookies);
  return res;
});

// GET /api/v1/auth/login — not a way to sign in (the post-deploy smoke check expects 401)
export const GET = handler({ auth: "none" }, async () => {
  throw new AppError("unauthorized", "Sign in with POST and a JSON body {email, password}");
});
