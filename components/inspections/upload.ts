"use client";

import { apiRequest, newRequestKey, type ApiResult } from "@/components/flows/api-client";
import type { Attachment, DirectUpload } from "@/lib/schemas/attachments";

// Uploads go straight to storage (docs/inspections.md, "Direct uploads"): the app is asked where
// to send the bytes, the browser PUTs them there (Supabase Storage's signed URL in production,
// the app's own upload route otherwise), and the app then checks what arrived and records it.
// A function's request body is capped at 4.5 MB on Vercel; this path has no such limit, so
// every file takes it, whatever its size.

export type UploadTarget = { kind: string; internal: boolean; inspection_id?: string; customer_id?: string };

/** Why the storage refused the bytes, in the API's error shape (Storage answers in its own). */
async function refusal(res: Response): Promise<ApiResult<never>> {
  const payload = (await res.json().catch(() => null)) as { error?: unknown; message?: unknown; statusCode?: unknown } | null;
  const apiError = payload?.error;
  if (apiError && typeof apiError === "object" && "code" in apiError) {
    // The app's own upload route: its error as any API error.
    const e = apiError as { code: string; message?: string; details?: unknown };
    return { ok: false, error: { status: res.status, code: e.code, message: e.message ?? res.statusText, details: e.details } };
  }
  // Supabase Storage: 413 / "Payload too large" or a refused type.
  return { ok: false, error: { status: res.status, code: "upload_refused", message: String(payload?.message ?? res.statusText) } };
}

/** Begin, send, complete: one call, in the same result shape as the JSON calls. */
export async function uploadFile(target: UploadTarget, file: File): Promise<ApiResult<Attachment>> {
  const begun = await apiRequest<DirectUpload>("/api/v1/attachments/uploads", {
    method: "POST",
    body: { ...target, file_name: file.name, content_type: file.type, size: file.size },
    idempotencyKey: newRequestKey(),
  });
  if (!begun.ok) return begun;
  const { url, method, headers, token } = begun.data;
  let sent: Response;
  try {
    // Same-origin (the app's route) sends the session cookie; Storage's signed URL needs none.
    sent = await fetch(url, { method, headers, body: file, credentials: "same-origin", cache: "no-store" });
  } catch {
    return { ok: false, error: { status: 0, code: "network", message: "Network error" } };
  }
  if (!sent.ok) return refusal(sent);
  return apiRequest<Attachment>(`/api/v1/attachments/uploads/${encodeURIComponent(token)}/complete`, {
    method: "POST",
    idempotencyKey: newRequestKey(),
  });
}
