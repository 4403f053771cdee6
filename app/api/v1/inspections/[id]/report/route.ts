import { markInspectionReportReady } from "@/lib/data/inspections";
import { deliverSoon } from "@/lib/mail/soon";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { inspectionReportSchema } from "@/lib/schemas/inspections";

export const dynamic = "force-dynamic";

// POST /api/v1/inspections/:id/report — the report is ready, optionally with the result (staff; from in_progress)
export const POST = handler(
  { permission: "records:write", params: idParams, body: inspectionReportSchema },
  async ({ actor, params, body, idempotency }) => {
    const result = await markInspectionReportReady(actor.caller, params.id, body?.result, idempotency);
    deliverSoon(); // the customers' email, queued in the same transaction
    return ok(result);
  },
);
