import type { z } from "zod";

// Search params of the admin list pages. The URL is user input: an empty filter means none, and
// a bad value (a typo, an old link) is dropped instead of breaking the page.

export type RawSearchParams = Record<string, string | string[] | undefined>;

/**
 * Parses search params with a list query schema. Returns the query and the accepted raw values
 * (what the filter form shows and pagination links carry along).
 */
export function parseSearchParams<S extends z.ZodType>(
  schema: S,
  keys: readonly string[],
  raw: RawSearchParams,
): { query: z.output<S>; params: Record<string, string> } {
  const input: Record<string, string> = {};
  for (const key of keys) {
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
