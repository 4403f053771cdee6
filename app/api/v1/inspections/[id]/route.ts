import { READ_RECORDS } from "@/lib/auth/permissions";
import { getInspection, setInspectionInternalNotes } from "@/lib/data/inspections";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { inspectionPatchSchema } from "@/lib/schemas/inspections";

export const dynamic = "force-dynamic";

// GET /api/v1/inspections/:id — one application with its timeline and message counts
export const GET = handler({ permission: READ_RECORDS, params: idParams }, async ({ actor, params }) => {
  return ok(await getInspection(actor.caller, params.id));
});

// PATCH /api/v1/inspections/:id — staff change the internal notes (never shown to customers)
export const PATCH = handler(
  { permission: "records:write", params: idParams, body: inspectionPatchSchema },
  async ({ actor, params, body, idempotency }) => ok(await setInspectionInternalNotes(actor.caller, params.id, body.internal_notes || null, idempotency)),
);
