import { z } from "zod";

/** A page of a list function: {data, count, page, limit}. */
export function pageOf<T extends z.ZodType>(row: T) {
  return z.object({ data: z.array(row), count: z.number().int(), page: z.number().int(), limit: z.number().int() });
}

export const actorArg = { p_actor: z.uuid().optional() };
