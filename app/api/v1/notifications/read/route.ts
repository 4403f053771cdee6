import { markNotificationsRead } from "@/lib/data/notifications";
import { handler, ok } from "@/lib/http/handler";
import { notificationReadBody } from "@/lib/schemas/notifications";

export const dynamic = "force-dynamic";

// POST /api/v1/notifications/read — mark {ids} (or, without ids, every unread one) read for the caller, staff
export const POST = handler({ permission: "records:read", body: notificationReadBody }, async ({ actor, body, idempotency }) =>
  ok(await markNotificationsRead(actor.caller, body, idempotency)),
);
