"use client";

import { useRef } from "react";

// The admin screens call the same JSON API as any other client (every action also works by API).

export type ApiFailure = { ok: false; status: number; code: string; details: { path: string; message: string }[] };
export type ApiResult<T> = { ok: true; data: T } | ApiFailure;

function detailsOf(value: unknown): { path: string; message: string }[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((d): d is { path: unknown; message: unknown } => !!d && typeof d === "object" && "path" in d)
    .map((d) => ({ path: String(d.path).split(".")[0], message: String(d.message ?? "") }));
}

export async function sendJson<T>(method: "POST" | "PATCH", url: string, body: unknown, idempotencyKey?: string): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}) },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, code: "network", details: [] };
  }
  const json = (await res.json().catch(() => null)) as { data?: T; error?: { code?: string; details?: unknown } } | null;
  if (res.ok) return { ok: true, data: json?.data as T };
  return { ok: false, status: res.status, code: json?.error?.code ?? "internal_error", details: detailsOf(json?.error?.details) };
}

/**
 * One Idempotency-Key per distinct request body: sending the same form again after a lost
 * response replays the first answer instead of failing on a duplicate; a changed form is a new
 * request with a new key.
 */
export function useIdempotencyKeys(): (body: unknown) => string {
  const keys = useRef(new Map<string, string>());
  return (body) => {
    const text = JSON.stringify(body);
    let key = keys.current.get(text);
    if (!key) {
      key = crypto.randomUUID();
      keys.current.set(text, key);
    }
    return key;
  };
}
