// The inventory forms talk to the same JSON API as every other client (DESIGN: every action also
// works by API). This turns a response into one shape the forms can branch on.

export type ApiFailure = { ok: false; status: number; code: string; details?: unknown };
export type ApiResult<T> = { ok: true; status: number; data: T } | ApiFailure;

export async function sendJson<T>(method: "POST" | "PATCH" | "DELETE", url: string, body?: unknown): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, code: "network" };
  }
  const json = (await res.json().catch(() => null)) as { data?: T; error?: { code?: string; details?: unknown } } | null;
  if (res.ok) return { ok: true, status: res.status, data: json?.data as T };
  return { ok: false, status: res.status, code: json?.error?.code ?? "internal_error", details: json?.error?.details };
}

/** The 422 `details` of the API: `[{path, message}]`, keyed by the first path segment. */
export function apiFieldPaths(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details
    .map((d) => (d && typeof d === "object" && "path" in d ? String((d as { path: unknown }).path).split(".")[0] : ""))
    .filter((p) => p !== "");
}
