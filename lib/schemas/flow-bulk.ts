import "@/lib/zod-setup";
import { z } from "zod";
import { idSchema } from "./common";

/** The workflow steps the flow list can take for several flows at once. */
export const BULK_FLOW_ACTIONS = ["submit", "approve", "commit"] as const;
export type BulkFlowAction = (typeof BULK_FLOW_ACTIONS)[number];

/** At most one page of the list (100 rows), each flow once. */
export const BULK_FLOW_MAX = 100;

/** Body of POST /api/v1/flows/bulk. */
export const flowBulkSchema = z.object({
  action: z.enum(BULK_FLOW_ACTIONS),
  ids: z
    .array(idSchema)
    .min(1)
    .max(BULK_FLOW_MAX)
    .refine((ids) => new Set(ids).size === ids.length, "Each flow may appear only once"),
});
export type FlowBulkInput = z.infer<typeof flowBulkSchema>;
