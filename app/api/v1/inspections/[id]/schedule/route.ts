import { scheduleInspection } from "@/lib/data/inspections";
import { deliverSoon } from "@/lib/mail/soon";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { inspectionScheduleSchema } from "@/lib/schemas/inspections";

export const dynamic = "force-dynamic";

// POST /api/v1/inspections/:id/schedule — set the date and the inspector (staff); again to reschedule
export const POST = handler(
  { permission: "records:write", params: idParams, body: inspectionScheduleSchema },
  async ({ actor, params, body, idempotency }) => {
    const result = await scheduleInspection(actor.caller, params.id, body, idempotency);
    deliverSoon(); // the customers' email, queued in the same transaction
    return ok(result);
  },
);
