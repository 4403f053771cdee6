// Browser-side calls to the flows API: one shape for success and failure, so forms and buttons
// handle errors the same way. Network failures become the pseudo-code "network".

export type ApiFailure = { status: number; code: string; message: string; details?: unknown };
export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiFailure };

export async function apiRequest<T>(
  url: string,
  init: { method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE"; body?: unknown; idempotencyKey?: string; signal?: AbortSignal },
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  if (init.idempotencyKey) headers["Idempotency-Key"] = init.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      cache: "no-store",
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    return { ok: false, error: { status: 0, code: "network", message: "Network error" } };
  }
  const payload = (await res.json().catch(() => null)) as { data?: T; error?: Omit<ApiFailure, "status"> } | null;
  if (res.ok && payload && "data" in payload) return { ok: true, status: res.status, data: payload.data as T };
  const error = payload?.error;
  return {
    ok: false,
    error: { status: res.status, code: error?.code ?? "internal_error", message: error?.message ?? res.statusText, details: error?.details },
  };
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
