import "@/lib/zod-setup";
import { z } from "zod";
import { boolQuery, idSchema, pageQuery } from "./common";

// In-app notifications for staff (low stock, written when a commit takes an item below its
// reorder point).

/** GET /api/v1/notifications?unread=true&page=&limit= */
export const notificationListQuery = z.object({ unread: boolQuery.optional(), ...pageQuery });
export type NotificationListQuery = z.infer<typeof notificationListQuery>;

/** POST /api/v1/notifications/read — the ids to mark read; without ids, every unread one. */
export const notificationReadBody = z
  .object({ ids: z.array(idSchema).min(1).max(500).optional() })
  .strict()
  .optional()
  .transform((v) => v ?? {});
export type NotificationReadBody = z.infer<typeof notificationReadBody>;
