import { startInspection } from "@/lib/data/inspections";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";

export const dynamic = "force-dynamic";

// POST /api/v1/inspections/:id/start — the inspection is under way (staff; from scheduled)
export const POST = handler({ permission: "records:write", params: idParams }, async ({ actor, params, idempotency }) =>
  ok(await startInspection(actor.caller, params.id, idempotency)),
);
