import { requireTranslation } from "@/lib/ai/enabled";
import { listGlossary, saveGlossaryTerm } from "@/lib/data/translations";
import { handler, ok } from "@/lib/http/handler";
import { glossaryTermInput } from "@/lib/schemas/translations";

export const dynamic = "force-dynamic";

// GET /api/v1/translations/glossary — the terms translations follow, with the glossary's version (staff)
export const GET = handler({ permission: "records:read" }, async ({ actor }) => {
  requireTranslation();
  return ok(await listGlossary(actor.caller));
});

// POST /api/v1/translations/glossary — add a term {ko, zh, en, note} in at least two languages (admins)
export const POST = handler({ permission: "users:manage", body: glossaryTermInput }, async ({ actor, body, idempotency }) => {
  requireTranslation();
  return ok(await saveGlossaryTerm(actor.caller, null, body, idempotency), 201);
});
