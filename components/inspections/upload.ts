"use client";

import { api, newRequestKey, sendBytes, type ApiResult } from "@/components/toolkit/api";
import type { Attachment, DirectUpload } from "@/lib/schemas/attachments";

// Uploads go straight to storage (docs/inspections.md, "Direct uploads"): the app is asked where
// to send the bytes, the browser PUTs them there (Supabase Storage's signed URL in production,
// the app's own upload route otherwise), and the app then checks what arrived and records it.
// A function's request body is capped at 4.5 MB on Vercel; this path has no such limit, so
// every file takes it, whatever its size.

export type UploadTarget = { kind: string; internal: boolean; inspection_id?: string; customer_id?: string };

/** Begin, send, complete: one call, in the same result shape as the JSON calls. */
export async function uploadFile(target: UploadTarget, file: File): Promise<ApiResult<Attachment>> {
  const begun = await api<DirectUpload>("POST", "/api/v1/attachments/uploads", { body: { ...target, file_name: file.name, content_type: file.type, size: file.size }, idempotencyKey: newRequestKey() });
  if (!begun.ok) return begun;
  const { url, method, headers, token } = begun.data;
  const sent = await sendBytes(url, { method, headers, body: file });
  if (!sent.ok) return sent;
  return api<Attachment>("POST", `/api/v1/attachments/uploads/${encodeURIComponent(token)}/complete`, { idempotencyKey: newRequestKey() });
}
