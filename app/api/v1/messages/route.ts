import { getUnreadCounts, markThreadRead } from "@/lib/data/messages";
import { handler, ok } from "@/lib/http/handler";
import { requireInspectionAccess } from "@/lib/http/inspection-access";
import { messagesReadSchema } from "@/lib/schemas/messages";

export const dynamic = "force-dynamic";

// GET /api/v1/messages — the caller's unread messages: total and per application
export const GET = handler({}, async ({ actor }) => {
  requireInspectionAccess(actor, "read");
  return ok(await getUnreadCounts(actor.caller));
});

// POST /api/v1/messages — mark a thread read for the caller's side ({inspection_id})
export const POST = handler({ body: messagesReadSchema }, async ({ actor, body, idempotency }) => {
  requireInspectionAccess(actor, "read");
  return ok(await markThreadRead(actor.caller, body.inspection_id, idempotency));
});
