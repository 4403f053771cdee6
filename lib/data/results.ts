import { z } from "zod";

/**
 * A page of a list function: {data, count, page, limit}, and count_exact where the function may
 * estimate a large count (false: `count` is an estimate; items_list beyond 1,000 matches).
 */
export function pageOf<T extends z.ZodType>(row: T) {
  return z.object({
    data: z.array(row),
    count: z.number().int(),
    count_exact: z.boolean().optional(),
    page: z.number().int(),
    limit: z.number().int(),
  });
}

// The optional actor of functions the app calls with the user's own session (where the database
// ignores it: the actor is auth.uid()). The app never sets it on those calls; the contract tests
// and benchmarks do, calling as the service role for a named user (docs/architecture.md).
export const actorArg = { p_actor: z.uuid().optional() };

/**
 * For a function only the service role may execute (it trusts a check the app made): the
 * actor it acts for. private.actor() honours p_actor for the service role only.
 */
export function forActor(actor: { id: string }): { p_actor: string } {
  return { p_actor: actor.id };
}
