import "@/lib/zod-setup";
import { z } from "zod";
import type { Flow } from "@/lib/data/flows";

// flow_get returns more than lib/data/flows.ts types (who did what when, reversals); read those
// extra fields here, tolerantly, so a missing one never breaks the page.

const text = z.string().nullable().optional().catch(null);

const historySchema = z.object({
  created_by_name: text,
  submitted_at: text,
  submitted_by_name: text,
  approved_at: text,
  approved_by_name: text,
  committed_at: text,
  committed_by_name: text,
  cancelled_at: text,
  cancelled_by_name: text,
  cancel_reason: text,
  reversed_by: z
    .array(z.object({ id: z.string(), number: z.string(), status: z.string() }))
    .nullable()
    .optional()
    .catch(null),
});

export type FlowHistory = z.infer<typeof historySchema>;
export type FlowReversal = NonNullable<FlowHistory["reversed_by"]>[number];

export function flowHistory(flow: Flow): FlowHistory {
  return historySchema.parse(flow);
}
