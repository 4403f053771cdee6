import { requireTranslation } from "@/lib/ai/enabled";
import { getTranslationSettings, setTranslationSettings } from "@/lib/data/translations";
import { handler, ok } from "@/lib/http/handler";
import { translationSettingsSchema } from "@/lib/schemas/translations";

export const dynamic = "force-dynamic";

// GET /api/v1/translations/settings — the caller's "translate incoming messages into my language" switch
export const GET = handler({ permission: "profile:read" }, async ({ actor }) => {
  requireTranslation();
  return ok(await getTranslationSettings(actor.caller));
});

// PUT /api/v1/translations/settings — turn automatic translation of incoming messages on or off ({auto_translate})
export const PUT = handler({ permission: "profile:update", body: translationSettingsSchema }, async ({ actor, body, idempotency }) => {
  requireTranslation();
  return ok(await setTranslationSettings(actor.caller, body.auto_translate, idempotency));
});
