"use client";

import { newRequestKey, type ApiResult } from "@/components/flows/api-client";
import type { Attachment } from "@/lib/schemas/attachments";

/** POST /api/v1/attachments as multipart, in the same result shape as the JSON calls. */
export async function uploadFile(fields: Record<string, string>, file: File): Promise<ApiResult<Attachment>> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("file", file, file.name);
  let res: Response;
  try {
    res = await fetch("/api/v1/attachments", { method: "POST", body: form, headers: { "Idempotency-Key": newRequestKey(), Accept: "application/json" } });
  } catch {
    return { ok: false, error: { status: 0, code: "network", message: "Network error" } };
  }
  const payload = (await res.json().catch(() => null)) as { data?: Attachment; error?: { code: string; message: string; details?: unknown } } | null;
  if (res.ok && payload?.data) return { ok: true, status: res.status, data: payload.data };
  return {
    ok: false,
    error: { status: res.status, code: payload?.error?.code ?? "internal_error", message: payload?.error?.message ?? res.statusText, details: payload?.error?.details },
  };
}
