import { requireTranslation } from "@/lib/ai/enabled";
import { translate } from "@/lib/ai/service";
import { READ_RECORDS } from "@/lib/auth/permissions";
import { handler, ok } from "@/lib/http/handler";
import { translationRequestSchema } from "@/lib/schemas/translations";

export const dynamic = "force-dynamic";

// POST /api/v1/translations — a machine translation of a record the caller may read ({source}) or, for staff, of a text ({text})
export const POST = handler({ permission: READ_RECORDS, body: translationRequestSchema }, async ({ actor, body }) => {
  requireTranslation();
  return ok(await translate(actor, body));
});
