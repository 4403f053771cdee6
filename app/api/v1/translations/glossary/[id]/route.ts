import { requireTranslation } from "@/lib/ai/enabled";
import { deleteGlossaryTerm, saveGlossaryTerm } from "@/lib/data/translations";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { glossaryTermInput } from "@/lib/schemas/translations";

export const dynamic = "force-dynamic";

// PUT /api/v1/translations/glossary/:id — change a term (admins); the glossary's version moves on
export const PUT = handler({ permission: "users:manage", params: idParams, body: glossaryTermInput }, async ({ actor, params, body, idempotency }) => {
  requireTranslation();
  return ok(await saveGlossaryTerm(actor.caller, params.id, body, idempotency));
});

// DELETE /api/v1/translations/glossary/:id — remove a term (admins)
export const DELETE = handler({ permission: "users:manage", params: idParams }, async ({ actor, params, idempotency }) => {
  requireTranslation();
  return ok(await deleteGlossaryTerm(actor.caller, params.id, idempotency));
});
