import { completeInspection } from "@/lib/data/inspections";
import { deliverSoon } from "@/lib/mail/soon";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { inspectionCompleteSchema } from "@/lib/schemas/inspections";

export const dynamic = "force-dynamic";

// POST /api/v1/inspections/:id/complete — close with the result pass, fail or pending (staff; from report_ready)
export const POST = handler(
  { permission: "records:write", params: idParams, body: inspectionCompleteSchema },
  async ({ actor, params, body, idempotency }) => {
    const result = await completeInspection(actor.caller, params.id, body.result, idempotency);
    deliverSoon(); // the customers' email, queued in the same transaction
    return ok(result);
  },
);
