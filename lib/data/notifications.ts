import "server-only";
import { z } from "zod";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import type { NotificationListQuery, NotificationReadBody } from "@/lib/schemas/notifications";
import { actorArg } from "./results";

// Staff's in-app notifications: their own unread list and read marks. The database functions
// check that the caller is staff and keep read state per person.

const num = z.coerce.number();

export const notificationRow = z.looseObject({
  id: z.uuid(),
  kind: z.enum(["low_stock"]),
  item_id: z.uuid().nullable(),
  sku: z.string().nullable(),
  name_ko: z.string().nullable(),
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
  unit: z.string().nullable(),
  reorder_point: num.nullable(),
  on_hand: num,
  payload: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  read_at: z.string().nullable(),
});
export type NotificationRow = z.infer<typeof notificationRow>;

export const fnNotificationsList = defineFunction(
  "notifications_list",
  z.object({ p_unread: z.boolean().optional(), p_page: z.number().int(), p_limit: z.number().int(), ...actorArg }),
  z.object({
    data: z.array(notificationRow),
    count: z.number().int(),
    unread: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
  }),
);

export const fnNotificationsMarkRead = defineFunction(
  "notifications_mark_read",
  z.object({ p_ids: z.array(z.uuid()).optional(), ...actorArg }),
  z.object({ marked: z.number().int(), unread: z.number().int() }),
);

export function listNotifications(as: Caller, q: NotificationListQuery) {
  return call(fnNotificationsList, { p_unread: q.unread, p_page: q.page, p_limit: q.limit }, as);
}

export function markNotificationsRead(as: Caller, body: NotificationReadBody, idempotency?: Idempotency) {
  return callWrite(fnNotificationsMarkRead, { p_ids: body.ids }, as, idempotency);
}
