import { scheduleInspection } from "@/lib/data/inspections";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { inspectionScheduleSchema } from "@/lib/schemas/inspections";

export const dynamic = "force-dynamic";

// POST /api/v1/inspections/:id/schedule — set the date and the inspector (staff); again to reschedule
export const POST = handler(
  { permission: "records:write", params: idParams, body: inspectionScheduleSchema },
  async ({ actor, params, body, idempotency }) => ok(await scheduleInspection(actor.caller, params.id, body, idempotency)),
);
