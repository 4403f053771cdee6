import { getEmailPreferences, updateEmailPreferences } from "@/lib/data/email-preferences";
import { handler, ok } from "@/lib/http/handler";
import { emailPreferencesPatchSchema } from "@/lib/schemas/email";

export const dynamic = "force-dynamic";

// GET /api/v1/auth/me/email-preferences — which emails the signed-in user receives (the kinds of their role)
export const GET = handler({ permission: "profile:read" }, async ({ actor }) => ok(await getEmailPreferences(actor.caller)));

// PATCH /api/v1/auth/me/email-preferences — turn kinds of email on or off ({"thread_message": false})
export const PATCH = handler({ permission: "profile:update", body: emailPreferencesPatchSchema }, async ({ actor, body, idempotency }) =>
  ok(await updateEmailPreferences(actor.caller, body, idempotency)),
);
