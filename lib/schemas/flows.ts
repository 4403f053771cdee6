import "@/lib/zod-setup";
import { z } from "zod";
import { dateQuery, idSchema, optionalText, pageQuery, quantity, searchQuery } from "./common";
import { FLOW_KINDS, FLOW_STATUSES, KIND_PATHS, type FlowKind, type FlowStatus } from "./values";

export { FLOW_KINDS, FLOW_STATUSES, KIND_PATHS, type FlowKind, type FlowStatus };

export const flowLineSchema = z.object({ item_id: idSchema, qty: quantity });

const header = {
  customer_id: idSchema.nullable().optional(),
  partner: optionalText(200),
  reference: optionalText(200),
  note: optionalText(2000),
};

const linesSchema = z.array(flowLineSchema).max(500, "At most 500 lines");

function lineRules(kind: FlowKind) {
  return (lines: z.infer<typeof linesSchema>, ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    lines.forEach((line, i) => {
      if (line.qty === 0 || (kind !== "adjustment" && line.qty < 0)) {
        ctx.addIssue({ code: "custom", path: [i, "qty"], message: kind === "adjustment" ? "Must not be zero" : "Must be above zero" });
      }
      if (seen.has(line.item_id)) ctx.addIssue({ code: "custom", path: [i, "item_id"], message: "Each item may appear only once" });
      seen.add(line.item_id);
    });
  };
}

/**
 * Body of POST /api/v1/<kind>s. Inbounds and adjustments take `location_id` (where stock
 * arrives or is corrected), outbounds `location_id` (where it leaves), transfers both ends.
 */
export function flowCreateSchema(kind: FlowKind) {
  // A new flow has lines (flow_create refuses none too); a draft's PATCH may still empty it.
  const lines = linesSchema.min(1, "At least one line").superRefine(lineRules(kind));
  if (kind === "transfer") {
    return z
      .object({ from_location_id: idSchema, to_location_id: idSchema, lines, ...header })
      .refine((v) => v.from_location_id !== v.to_location_id, { path: ["to_location_id"], message: "Must differ from from_location_id" });
  }
  return z.object({ location_id: idSchema, lines, ...header });
}

export function flowPatchSchema(kind: FlowKind) {
  const lines = linesSchema.superRefine(lineRules(kind)).optional();
  const locations =
    kind === "transfer" ? { from_location_id: idSchema.optional(), to_location_id: idSchema.optional() } : { location_id: idSchema.optional() };
  return z.object({ ...locations, lines, ...header }).refine((v) => Object.keys(v).length > 0, "Nothing to update");
}

/**
 * Body of PATCH /api/v1/flows/:id, before the flow's kind is known: every kind's fields, checked
 * only for shape. The handler then validates it again with flowPatchSchema(the flow's kind).
 */
export const flowPatchAnyKindSchema = z
  .object({
    location_id: idSchema.optional(),
    from_location_id: idSchema.optional(),
    to_location_id: idSchema.optional(),
    lines: linesSchema.optional(),
    ...header,
  })
  .refine((v) => Object.keys(v).length > 0, "Nothing to update");

export const flowCancelSchema = z.object({ reason: z.string().trim().max(500).optional() }).optional();
export const flowReverseSchema = z.object({ note: z.string().trim().max(2000).optional() }).optional();

export const flowListQuery = z.object({
  ...pageQuery,
  kind: z.enum(FLOW_KINDS).optional(),
  status: z.enum(FLOW_STATUSES).optional(),
  q: searchQuery.optional(),
  from: dateQuery.optional(),
  to: dateQuery.optional(),
  customer_id: idSchema.optional(),
});

export const stockListQuery = z.object({
  ...pageQuery,
  item_id: idSchema.optional(),
  location_id: idSchema.optional(),
  engine_id: idSchema.optional(),
  low: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  q: searchQuery.optional(),
});

export const ledgerQuery = z.object({
  item_id: idSchema.optional(),
  location_id: idSchema.optional(),
  from: dateQuery.optional(),
  to: dateQuery.optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const FLOW_ACTIONS = ["submit", "approve", "commit", "cancel", "reverse"] as const;
export type FlowAction = (typeof FLOW_ACTIONS)[number];
