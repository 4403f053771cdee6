import { limitPasswordAttempt } from "@/lib/auth/passwords";
import { redeemResetLink } from "@/lib/data/passwords";
import { handler, ok } from "@/lib/http/handler";
import { clientAddress } from "@/lib/http/rate-limit";
import { passwordResetRedeemSchema } from "@/lib/schemas/profile";

export const dynamic = "force-dynamic";

// POST /api/v1/auth/password/reset — set a new password with a one-time reset link's token (embedded mode; once, within the hour); then sign in
// Rate limited per client address like sign-in, so tokens cannot be guessed at speed.
export const POST = handler({ auth: "none", body: passwordResetRedeemSchema }, async ({ req, body }) => {
  await limitPasswordAttempt(`redeem:${clientAddress(req.headers) ?? "unknown"}`);
  const user = await redeemResetLink(body.token, body.new_password);
  return ok({ changed: true, email: user.email });
});
