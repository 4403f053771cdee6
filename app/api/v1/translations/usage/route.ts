import { z } from "zod";
import { requireTranslation } from "@/lib/ai/enabled";
import { translationUsage } from "@/lib/data/translations";
import { handler, ok } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const usageQuery = z.object({ days: z.coerce.number().int().min(1).max(366).optional() });

// GET /api/v1/translations/usage — characters and requests per day and per user and day, and this month's total (admins)
export const GET = handler({ permission: "users:manage", query: usageQuery }, async ({ actor, query }) => {
  requireTranslation();
  return ok(await translationUsage(actor.caller, query.days ?? 30));
});
