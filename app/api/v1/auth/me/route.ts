import { updateMyProfile } from "@/lib/data/profiles";
import { handler, json } from "@/lib/http/handler";
import { updateMyProfileSchema } from "@/lib/schemas/profile";

export const dynamic = "force-dynamic";

// GET /api/v1/auth/me — the signed-in user, or 401
export const GET = handler({ permission: "profile:read", whilePasswordChangeRequired: true }, async ({ actor }) =>
  json({
    data: {
      user: {
        id: actor.id,
        email: actor.email,
        role: actor.role,
        customer_id: actor.customerId,
        display_name: actor.displayName,
        locale: actor.locale,
        must_change_password: actor.mustChangePassword,
      },
    },
  }),
);

// PATCH /api/v1/auth/me — change one's own display name or language
export const PATCH = handler({ permission: "profile:update", body: updateMyProfileSchema }, async ({ actor, body, idempotency }) => {
  const profile = await updateMyProfile(actor.caller, body, idempotency);
  return json({ data: { user: { id: profile.id, email: profile.email, role: profile.role, customer_id: profile.customer_id, display_name: profile.display_name, locale: profile.locale } } });
});
