"use client";

import { useRef } from "react";

// components/toolkit/ holds the pieces every screen's browser code shares: this JSON API client,
// the error texts (error-text.ts), list URLs (list-url.ts) and form state (use-form.ts). It lives
// under components/ because that is where browser code lives; "toolkit" because it belongs to no
// one screen. The screens call the same JSON API as any other client (every action also works by
// API), and every call answers in one shape, so forms and buttons handle failures the same way.

export type ApiFailure = { status: number; code: string; message: string; details?: unknown };
export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiFailure };
export type ApiMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** The request never reached the server (or its answer never came back). */
export const networkFailure = (): { ok: false; error: ApiFailure } => ({ ok: false, error: { status: 0, code: "network", message: "Network error" } });

/** The API's error object (`{error: {code, message, details}}`) of a failed response, in the result shape. */
const apiFailure = (res: Response, e: Partial<Omit<ApiFailure, "status">> | undefined): { ok: false; error: ApiFailure } => ({
  ok: false,
  error: { status: res.status, code: e?.code ?? "internal_error", message: e?.message ?? res.statusText, details: e?.details },
});

/** The headers of a JSON API request: JSON answers asked for, and a body (when there is one) said to be JSON. */
function jsonHeaders(hasBody: boolean): Record<string, string> {
  return hasBody ? { Accept: "application/json", "Content-Type": "application/json" } : { Accept: "application/json" };
}

/**
 * One JSON API call. A network failure becomes the pseudo-code "network" (status 0); an abort is
 * rethrown, so a caller that cancelled does not show an error for it.
 */
export async function api<T>(
  method: ApiMethod,
  url: string,
  options: { body?: unknown; idempotencyKey?: string; signal?: AbortSignal } = {},
): Promise<ApiResult<T>> {
  const { body, idempotencyKey, signal } = options;
  const headers = jsonHeaders(body !== undefined);
  if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: "no-store" });
  } catch (error) {
    if ((error instanceof DOMException || error instanceof Error) && error.name === "AbortError") throw error;
    return networkFailure();
  }
  const payload = (await res.json().catch(() => null)) as { data?: T; error?: Partial<Omit<ApiFailure, "status">> } | null;
  if (res.ok) return { ok: true, status: res.status, data: (payload && "data" in payload ? payload.data : undefined) as T };
  return apiFailure(res, payload?.error);
}

/**
 * A fresh Idempotency-Key. crypto.randomUUID exists only in secure contexts (https, localhost);
 * a warehouse tablet on a plain-http LAN address still gets a random v4 UUID.
 */
export function newRequestKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Idempotency-Key for a body: the same body gets the same key, another body a new one. */
export function requestKeys(): (body: unknown) => string {
  const keys = new Map<string, string>();
  return (body) => {
    const text = JSON.stringify(body);
    let key = keys.get(text);
    if (!key) {
      key = newRequestKey();
      keys.set(text, key);
    }
    return key;
  };
}

/**
 * One Idempotency-Key per distinct request body for the life of a form: sending the same form
 * again after a lost response replays the first answer instead of failing on a duplicate; a
 * changed form is a new request with a new key.
 */
export function useIdempotencyKeys(): (body: unknown) => string {
  const keys = useRef<((body: unknown) => string) | null>(null);
  return (body) => (keys.current ??= requestKeys())(body);
}

/**
 * A direct upload: the file's bytes go to the storage URL the API handed out (Supabase Storage's
 * signed URL in production, the app's own upload route otherwise). Not a JSON API call, so a raw
 * fetch; its answer comes back in the same result shape. Storage answers in its own shape: a
 * refusal that is not the app's API error becomes "upload_refused".
 */
export async function sendBytes(url: string, init: { method: string; headers?: Record<string, string>; body: Blob }): Promise<ApiResult<null>> {
  let res: Response;
  try {
    // Same-origin (the app's route) sends the session cookie; Storage's signed URL needs none.
    res = await fetch(url, { method: init.method, headers: init.headers, body: init.body, credentials: "same-origin", cache: "no-store" });
  } catch {
    return networkFailure();
  }
  if (res.ok) return { ok: true, status: res.status, data: null };
  const payload = (await res.json().catch(() => null)) as { error?: unknown; message?: unknown } | null;
  const apiError = payload?.error;
  if (apiError && typeof apiError === "object" && "code" in apiError) return apiFailure(res, apiError as Partial<ApiFailure>);
  // Supabase Storage: 413 / "Payload too large" or a refused type.
  return { ok: false, error: { status: res.status, code: "upload_refused", message: String(payload?.message ?? res.statusText) } };
}

/**
 * The answer exactly as it came, for the API reference's "Try it" (components/api-docs): status,
 * content type and body text, nothing interpreted. Null when the server could not be reached.
 */
export async function sendRaw(method: ApiMethod, url: string, body?: string): Promise<{ status: number; contentType: string; text: string } | null> {
  try {
    const res = await fetch(url, { method, headers: jsonHeaders(body !== undefined), body, cache: "no-store" });
    return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
  } catch {
    return null;
  }
}
