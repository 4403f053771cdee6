import { getInspection, setInspectionInternalNotes } from "@/lib/data/inspections";
import { handler, ok } from "@/lib/http/handler";
import { requireInspectionAccess } from "@/lib/http/inspection-access";
import { idParams } from "@/lib/schemas/common";
import { inspectionPatchSchema } from "@/lib/schemas/inspections";

export const dynamic = "force-dynamic";

// GET /api/v1/inspections/:id — one application with its timeline and message counts
export const GET = handler({ params: idParams }, async ({ actor, params }) => {
  requireInspectionAccess(actor, "read");
  return ok(await getInspection(actor.caller, params.id));
});

// PATCH /api/v1/inspections/:id — staff change the internal notes (never shown to customers)
export const PATCH = handler(
  { permission: "records:write", params: idParams, body: inspectionPatchSchema },
  async ({ actor, params, body, idempotency }) => ok(await setInspectionInternalNotes(actor.caller, params.id, body.internal_notes || null, idempotency)),
);
