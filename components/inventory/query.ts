import type { z } from "zod";

// Search params of the list pages. The URL is user input: a bad value (a typo, an old link, a
// hand-edited page number) falls back to that field's default instead of breaking the page.

export type RawSearchParams = Record<string, string | string[] | undefined>;

/** The first value of each parameter the schema knows about. */
function pick(raw: RawSearchParams, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = raw[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[key] = first;
  }
  return out;
}

/**
 * Parses search params with a list query schema, dropping each invalid field. Returns the parsed
 * query and the accepted raw strings (what pagination and filter links should carry along).
 */
export function parseListQuery<S extends z.ZodObject>(schema: S, raw: RawSearchParams): { query: z.output<S>; params: Record<string, string> } {
  const input = pick(raw, Object.keys(schema.shape));
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = schema.safeParse(input);
    if (result.success) return { query: result.data, params: input };
    for (const issue of result.error.issues) delete input[String(issue.path[0])];
  }
  return { query: schema.parse({}), params: {} };
}

/** A list page's URL with the given parameters (empty ones left out). */
export function listHref(basePath: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `${basePath}?${s}` : basePath;
}
