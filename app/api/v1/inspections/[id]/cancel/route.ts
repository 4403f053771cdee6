import { WRITE_RECORDS } from "@/lib/auth/permissions";
import { cancelInspection } from "@/lib/data/inspections";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { inspectionCancelSchema } from "@/lib/schemas/inspections";

export const dynamic = "force-dynamic";

// POST /api/v1/inspections/:id/cancel — cancel (customers while submitted; staff until completed)
export const POST = handler({ permission: WRITE_RECORDS, params: idParams, body: inspectionCancelSchema }, async ({ actor, params, body, idempotency }) => {
  return ok(await cancelInspection(actor.caller, params.id, body?.reason, idempotency));
});
