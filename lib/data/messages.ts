import { z } from "zod";
import { call, callWrite, defineFunction, type Caller, type Idempotency } from "@/lib/db";
import { actorArg } from "./results";

// Message threads, one per inspection application, between the customer's users and staff. Each
// call runs as the caller: a customer reaches only their company's threads. Senders are named,
// never by email.

export const message = z.object({
  id: z.uuid(),
  inspection_id: z.uuid(),
  body: z.string(),
  from_staff: z.boolean(),
  sender_name: z.string().nullable(),
  /** Sent by the caller. */
  mine: z.boolean(),
  read_by_customer_at: z.string().nullable(),
  read_by_staff_at: z.string().nullable(),
  created_at: z.string(),
  /** Staff only. */
  sender_id: z.uuid().nullable().optional(),
  customer_id: z.uuid().optional(),
});
export type Message = z.infer<typeof message>;

export const messageThread = z.object({ data: z.array(message), count: z.number().int() });
export type MessageThread = z.infer<typeof messageThread>;

export const unreadCounts = z.object({
  total: z.number().int(),
  inspections: z.array(z.object({ inspection_id: z.uuid(), number: z.string(), unread: z.number().int() })),
});
export type UnreadCounts = z.infer<typeof unreadCounts>;

export const readMark = z.object({ inspection_id: z.uuid(), marked: z.number().int() });
export type ReadMark = z.infer<typeof readMark>;

export const fnMessagesList = defineFunction(
  "messages_list",
  z.object({ p_inspection_id: z.uuid(), p_limit: z.number().int().optional(), ...actorArg }),
  messageThread,
);
export const fnMessageSend = defineFunction("message_send", z.object({ p_inspection_id: z.uuid(), p_body: z.string(), ...actorArg }), message);
export const fnMessagesMarkRead = defineFunction("messages_mark_read", z.object({ p_inspection_id: z.uuid(), ...actorArg }), readMark);
export const fnMessagesUnread = defineFunction("messages_unread", z.object(actorArg), unreadCounts);

/** The thread of an application, oldest first (the newest `limit` messages). */
export function listMessages(as: Caller, inspectionId: string, limit?: number) {
  return call(fnMessagesList, { p_inspection_id: inspectionId, p_limit: limit }, as);
}

export function sendMessage(as: Caller, inspectionId: string, body: string, idem?: Idempotency) {
  return callWrite(fnMessageSend, { p_inspection_id: inspectionId, p_body: body }, as, idem);
}

/** Marks the other side's messages in the thread as read by the caller's side. */
export function markThreadRead(as: Caller, inspectionId: string, idem?: Idempotency) {
  return callWrite(fnMessagesMarkRead, { p_inspection_id: inspectionId }, as, idem);
}

export function getUnreadCounts(as: Caller) {
  return call(fnMessagesUnread, {}, as);
}
