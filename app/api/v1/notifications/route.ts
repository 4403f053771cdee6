import { listNotifications } from "@/lib/data/notifications";
import { handler, json } from "@/lib/http/handler";
import { notificationListQuery } from "@/lib/schemas/notifications";

export const dynamic = "force-dynamic";

// GET /api/v1/notifications — the caller's notifications, newest first (?unread=true&page=&limit=), staff
export const GET = handler({ permission: "records:read", query: notificationListQuery }, async ({ actor, query }) => {
  const r = await listNotifications(actor.caller, query);
  return json({ data: r.data, page: r.page, limit: r.limit, count: r.count, unread: r.unread });
});
