import { READ_RECORDS } from "@/lib/auth/permissions";
import { getUnreadCounts, markThreadRead } from "@/lib/data/messages";
import { handler, ok } from "@/lib/http/handler";
import { messagesReadSchema } from "@/lib/schemas/messages";

export const dynamic = "force-dynamic";

// GET /api/v1/messages — the caller's unread messages: total and per application
export const GET = handler({ permission: READ_RECORDS }, async ({ actor }) => {
  return ok(await getUnreadCounts(actor.caller));
});

// POST /api/v1/messages — mark a thread read for the caller's side ({inspection_id})
export const POST = handler({ permission: READ_RECORDS, body: messagesReadSchema }, async ({ actor, body, idempotency }) => {
  return ok(await markThreadRead(actor.caller, body.inspection_id, idempotency));
});
