import { cancelInspection } from "@/lib/data/inspections";
import { handler, ok } from "@/lib/http/handler";
import { requireInspectionAccess } from "@/lib/http/inspection-access";
import { idParams } from "@/lib/schemas/common";
import { inspectionCancelSchema } from "@/lib/schemas/inspections";

export const dynamic = "force-dynamic";

// POST /api/v1/inspections/:id/cancel — cancel (customers while submitted; staff until completed)
export const POST = handler({ params: idParams, body: inspectionCancelSchema }, async ({ actor, params, body, idempotency }) => {
  requireInspectionAccess(actor, "write");
  return ok(await cancelInspection(actor.caller, params.id, body?.reason, idempotency));
});
