import { handler, json } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

// GET /api/v1/auth/me — the signed-in user, or 401
export const GET = handler({ permission: "profile:read" }, async ({ actor }) =>
  json({
    data: {
      user: {
        id: actor.id,
        email: actor.email,
        role: actor.role,
        customer_id: actor.customerId,
        display_name: actor.displayName,
        locale: actor.locale,
      },
    },
  }),
);
