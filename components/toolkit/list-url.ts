import type { z } from "zod";

// A list page keeps its filters, sort and page in the URL. The server page parses searchParams
// with the list's zod schema (parseSearchParams); links and forms build the next URL with
// listHref. The URL is user input: an empty filter means none, and a bad value (a typo, an old
// link, a hand-edited page number) falls back to that field's default instead of breaking the page.

export type RawSearchParams = Record<string, string | string[] | undefined>;

/**
 * Parses search params with a list schema. Returns the query and the accepted raw values (what
 * the filter form shows and pagination links carry along). `keys` defaults to the schema's shape.
 */
export function parseSearchParams<S extends z.ZodType>(schema: S, raw: RawSearchParams, keys?: readonly string[]): { query: z.output<S>; params: Record<string, string> } {
  const input: Record<string, string> = {};
  const names = keys ?? Object.keys((schema as unknown as { shape?: Record<string, unknown> }).shape ?? {});
  for (const key of names) {
    const value = raw[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first.trim() !== "") input[key] = first;
  }
  // Drop what the schema refuses, field by field (a refinement may name a second field).
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = schema.safeParse(input);
    if (result.success) return { query: result.data, params: input };
    for (const issue of result.error.issues) delete input[String(issue.path[0])];
  }
  return { query: schema.parse({}), params: {} };
}

/** The URL values of a parsed list state: empty ones and the schema's defaults left out. */
export function urlParams<S extends z.ZodType>(schema: S, values: Partial<z.output<S>>): Record<string, string> {
  const defaults = schema.parse({}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
    if (v === undefined || v === null || v === "" || defaults[k] === v) continue;
    out[k] = String(v);
  }
  return out;
}

/** A list page's URL with the given parameters (empty ones left out). */
export function listHref(basePath: string, params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${basePath}?${s}` : basePath;
}
