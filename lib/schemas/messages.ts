import "@/lib/zod-setup";
import { z } from "zod";
import { idSchema } from "./common";

// Message threads (one per inspection application): bodies and query strings.

export const messageSendSchema = z.object({ body: z.string().trim().min(1, "Write a message").max(4000) });
export type MessageSend = z.infer<typeof messageSendSchema>;

export const messageListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) });

/** POST /api/v1/messages — mark a thread read for the caller's side. */
export const messagesReadSchema = z.object({ inspection_id: idSchema });
