import { READ_RECORDS, WRITE_RECORDS } from "@/lib/auth/permissions";
import { listMessages, sendMessage } from "@/lib/data/messages";
import { handler, json, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { messageListQuery, messageSendSchema } from "@/lib/schemas/messages";

export const dynamic = "force-dynamic";

// GET /api/v1/inspections/:id/messages — the application's thread, oldest first (?limit= newest to keep)
export const GET = handler({ permission: READ_RECORDS, params: idParams, query: messageListQuery }, async ({ actor, params, query }) => {
  return json(await listMessages(actor.caller, params.id, query.limit));
});

// POST /api/v1/inspections/:id/messages — write in the thread (customers on their company's applications; staff on any)
export const POST = handler({ permission: WRITE_RECORDS, params: idParams, body: messageSendSchema }, async ({ actor, params, body, idempotency }) => {
  return ok(await sendMessage(actor.caller, params.id, body.body, idempotency), 201);
});
